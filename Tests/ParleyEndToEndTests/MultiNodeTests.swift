import Foundation
import ParleyTestSupport
import Testing

/// Two real `parley serve` processes on one PostgreSQL database, as an operator runs several
/// nodes: any node answers any request, webhook deliveries go out once, and a node killed with
/// work in flight loses nothing. Skipped, and reported so, without `PARLEY_TEST_POSTGRES_URL`.
@Suite(
    "Several nodes on one PostgreSQL database", .serialized,
    .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL (postgres://user@host:port/db) to run"))
struct MultiNodeTests {

    /// Every node must share the server key; fast retries so outages fit in the test's time. The
    /// 0.5 s send timeout makes a claim last 11 s (2 × timeout + 10 s).
    static let environment = WebhookDurabilityTests.environment.merging([
        "PARLEY_SERVER_KEY": Data(repeating: 42, count: 32).base64EncodedString(), "PARLEY_DATABASE_CONNECTIONS": "4",
    ]) { $1 }

    static func twoNodes(_ environment: [String: String] = environment) async throws -> (a: ServerProcess, aBase: URL, b: ServerProcess, bBase: URL) {
        let database = try await PostgresTestDatabase.make()
        let (a, aBase) = try await ServerProcess.serve(databaseURL: database, environment: environment)
        let (b, bBase) = try await ServerProcess.serve(databaseURL: database, environment: environment)
        return (a, aBase, b, bBase)
    }

    /// Every message id of a conversation, oldest first, paging backwards from the newest.
    static func messages(_ base: URL, _ fixture: WebhookDurabilityTests.Fixture, conversation: String, size: Int = 100) async throws -> [String] {
        var all: [String] = []
        var query = "page[size]=\(size)"
        while true {
            let url = URL(string: base.absoluteString + "/v2/apps/\(fixture.appId)/conversations/\(conversation)/messages?" + query)!
            let response = try await HTTP.send("GET", url, basic: WebhookDurabilityTests.key)
            let page = (response.body["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            all.insert(contentsOf: page, at: 0)
            guard page.count == size, let oldest = page.first else { return all }
            query = "page[size]=\(size)&page[before]=\(oldest)"
        }
    }

    @Test("Both nodes answer; what one writes the other reads; each event reaches the webhook exactly once, in order")
    func sharedWork() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        // No node fails here, so a send timeout long enough that a receiver slowed by a loaded
        // machine is not taken for a dead one (a timed-out send is sent again: once is the claim).
        let nodes = try await Self.twoNodes(Self.environment.merging(["PARLEY_WEBHOOK_TIMEOUT_SECONDS": "10"]) { $1 })
        defer { nodes.a.signal(SIGKILL); nodes.b.signal(SIGKILL) }
        let fixture = try await WebhookDurabilityTests.provision(nodes.aBase, receiver: receiver, conversations: 3)
        var posted: [String: [String]] = [:]
        for index in 0..<30 {
            let base = index % 2 == 0 ? nodes.aBase : nodes.bBase
            let conversation = fixture.conversations[index % 3]
            posted[conversation, default: []].append(
                try await WebhookDurabilityTests.postMessage(base, fixture, conversation: conversation, text: "m\(index)"))
        }
        for conversation in fixture.conversations {
            #expect(try await Self.messages(nodes.bBase, fixture, conversation: conversation) == posted[conversation])
            #expect(try await Self.messages(nodes.aBase, fixture, conversation: conversation) == posted[conversation])
        }
        let expected = Set(posted.values.joined())
        try await receiver.wait { Set($0.compactMap(\.messageId)).isSuperset(of: expected) }
        // Both nodes poll the outbox all along; give a duplicate time to show up.
        try await Task.sleep(for: .seconds(1))
        let received = receiver.received
        #expect(received.count == expected.count, "each event exactly once; got \(received.count) for \(expected.count)")
        #expect(Set(received.map(\.eventId)).count == received.count, "no event delivered twice")
        for (conversation, ids) in posted {
            #expect(received.filter { $0.conversationId == conversation }.compactMap(\.messageId) == ids, "conversation \(conversation) in order")
        }
    }

    @Test("An attachment uploaded through one node is served and removed through the other, all sharing PARLEY_ATTACHMENTS_DIR")
    func sharedAttachments() async throws {
        let directory = Scratch.directory("shared-attachments")
        let nodes = try await Self.twoNodes(Self.environment.merging(["PARLEY_ATTACHMENTS_DIR": directory.path]) { $1 })
        defer { nodes.a.signal(SIGKILL); nodes.b.signal(SIGKILL) }
        let key = WebhookDurabilityTests.key
        let app = try await HTTP.send("POST", nodes.aBase.appendingPathComponent("v2/apps"), basic: key, json: #"{"displayName":"Files"}"#)
        let appId = try #require((app.body["app"] as? [String: Any])?["id"] as? String)
        let file = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let boundary = "node-boundary"
        let body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"source\"; filename=\"scan.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            + file + Array("\r\n--\(boundary)--\r\n".utf8)
        let uploaded = try await HTTP.exchange(
            "POST", URL(string: nodes.aBase.absoluteString + "/v2/apps/\(appId)/attachments?access=public")!, basic: key, body: body,
            contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(uploaded.status == 201, "\(String(decoding: uploaded.bytes, as: UTF8.self))")
        let answer = try JSONSerialization.jsonObject(with: Data(uploaded.bytes)) as? [String: Any]
        let mediaUrl = try #require((answer?["attachment"] as? [String: Any])?["mediaUrl"] as? String)
        // Node a named itself in the URL; node b serves the same path.
        let path = try #require(URL(string: mediaUrl)?.path)
        let served = try await HTTP.exchange("GET", URL(string: nodes.bBase.absoluteString + path)!)
        #expect(served.status == 200)
        #expect(served.bytes == file)
        let removed = try await HTTP.send(
            "POST", URL(string: nodes.bBase.absoluteString + "/v2/apps/\(appId)/attachments/remove")!, basic: key,
            json: #"{"mediaUrl":"\#(nodes.bBase.absoluteString + path)"}"#)
        #expect(removed.status == 200)
        #expect(try await HTTP.exchange("GET", URL(string: nodes.aBase.absoluteString + path)!).status == 404)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("A message posted through one node reaches a messenger's socket on the other; a socket that moves to the first node resumes without a gap")
    func realtimeAcrossNodes() async throws {
        let nodes = try await Self.twoNodes()
        defer { nodes.a.signal(SIGKILL); nodes.b.signal(SIGKILL) }
        let key = WebhookDurabilityTests.key
        let app = try await HTTP.send("POST", nodes.aBase.appendingPathComponent("v2/apps"), basic: key, json: #"{"displayName":"Realtime"}"#)
        let appId = try #require((app.body["app"] as? [String: Any])?["id"] as? String)
        let apps = nodes.aBase.appendingPathComponent("v2/apps/\(appId)")
        let integration = try await HTTP.send("POST", apps.appendingPathComponent("integrations"), basic: key, json: #"{"type":"web"}"#)
        let integrationId = try #require((integration.body["integration"] as? [String: Any])?["id"] as? String)
        let started = try await HTTP.send(
            "POST", nodes.bBase.appendingPathComponent("web/\(integrationId)/sessions"), json: #"{"device":{"guid":"00112233445566778899aabbccddeeff"}}"#)
        let session = try #require(started.body["session"] as? String)
        let userId = try #require((started.body["user"] as? [String: Any])?["id"] as? String)
        let conversation = try await HTTP.send(
            "POST", apps.appendingPathComponent("conversations"), basic: key, json: #"{"type":"personal","participants":[{"userId":"\#(userId)"}]}"#)
        let conversationId = try #require((conversation.body["conversation"] as? [String: Any])?["id"] as? String)
        func post(_ text: String, through base: URL) async throws {
            let posted = try await HTTP.send(
                "POST", base.appendingPathComponent("v2/apps/\(appId)/conversations/\(conversationId)/messages"), basic: key,
                json: #"{"author":{"type":"business"},"content":{"type":"text","text":"\#(text)"}}"#)
            #expect(posted.status == 201)
        }

        // A socket on node B; messages posted through node A reach it, in order.
        let onB = RealtimeClient(port: try #require(nodes.bBase.port), path: "/web/\(integrationId)/socket")
        try onB.send(["type": "auth", "session": session])
        try onB.send(["type": "subscribe", "conversationId": conversationId, "after": 0])
        try await onB.wait("subscribed") { $0.contains { $0["type"] as? String == "subscribed" } }
        for index in 1...5 { try await post("a\(index)", through: nodes.aBase) }
        try await onB.wait("the messages from node A", timeout: .seconds(20)) { _ in onB.events.compactMap(\.text).count >= 5 }
        #expect(onB.events.compactMap(\.text) == ["a1", "a2", "a3", "a4", "a5"])
        let last = try #require(onB.events.last?.seq)
        await onB.close()

        // Away, then back through node A: exactly what was missed, whichever node it was posted through.
        try await post("b1", through: nodes.bBase)
        try await post("a6", through: nodes.aBase)
        let onA = RealtimeClient(port: try #require(nodes.aBase.port), path: "/web/\(integrationId)/socket")
        try onA.send(["type": "auth", "session": session])
        try onA.send(["type": "subscribe", "conversationId": conversationId, "after": last])
        try await onA.wait("the replay") { $0.contains { $0["type"] as? String == "subscribed" } }
        #expect(onA.events.compactMap(\.text) == ["b1", "a6"])
        try await post("b2", through: nodes.bBase)
        try await onA.wait("a live message from node B", timeout: .seconds(20)) { _ in onA.events.compactMap(\.text).count >= 3 }
        #expect(onA.events.compactMap(\.text) == ["b1", "a6", "b2"])
        await onA.close()
    }

    @Test("A key deleted through one node stops working on the other within a second")
    func deletedKey() async throws {
        let nodes = try await Self.twoNodes()
        defer { nodes.a.signal(SIGKILL); nodes.b.signal(SIGKILL) }
        let key = WebhookDurabilityTests.key
        let app = try await HTTP.send("POST", nodes.aBase.appendingPathComponent("v2/apps"), basic: key, json: #"{"displayName":"Keys"}"#)
        let appId = try #require((app.body["app"] as? [String: Any])?["id"] as? String)
        let created = try await HTTP.send(
            "POST", nodes.aBase.appendingPathComponent("v2/apps/\(appId)/keys"), basic: key, json: #"{"displayName":"k"}"#)
        let appKey = try #require(created.body["key"] as? [String: Any])
        let credentials = (try #require(appKey["id"] as? String), try #require(appKey["secret"] as? String))
        let onB = nodes.bBase.appendingPathComponent("v2/apps/\(appId)")
        // B reads the key once, then keeps it (PostgresCaches).
        for _ in 0..<2 { #expect(try await HTTP.send("GET", onB, basic: credentials).status == 200) }
        let deleted = try await HTTP.send("DELETE", nodes.aBase.appendingPathComponent("v2/apps/\(appId)/keys/\(credentials.0)"), basic: key)
        #expect(deleted.status == 200)
        // A's NOTIFY makes B forget it. The clock is read around each request, less how late the
        // polling sleep ran: a starved test process delays both alike.
        let clock = ContinuousClock()
        let started = clock.now
        var late = Duration.zero
        var refused = false
        while !refused, clock.now - started < .seconds(20) {
            refused = try await HTTP.send("GET", onB, basic: credentials).status == 401
            if refused { break }
            let asleep = clock.now
            try await Task.sleep(for: .milliseconds(10))
            late += max(.zero, clock.now - asleep - .milliseconds(10))
        }
        let took = clock.now - started - late
        #expect(refused && took < .seconds(1), "B refused the deleted key after \(took)")
    }

    @Test("SIGKILL a node in the middle of a delivery: another node takes its claim over and delivers everything, in order")
    func survivesNodeKill() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        // Node A alone first, so the batch in flight when it dies is surely A's claim.
        receiver.mode = .hang
        let database = try await PostgresTestDatabase.make()
        // A's send timeout, 2.5 s (a claim of 15 s), leaves a loaded machine time to kill A while its
        // first attempt is still in flight; the receiver holds it 3 s.
        let (a, aBase) = try await ServerProcess.serve(
            databaseURL: database, environment: Self.environment.merging(["PARLEY_WEBHOOK_TIMEOUT_SECONDS": "2.5"]) { $1 })
        let fixture = try await WebhookDurabilityTests.provision(aBase, receiver: receiver, conversations: 2)
        var posted: [String: [String]] = [:]
        for index in 0..<10 {
            let conversation = fixture.conversations[index % 2]
            posted[conversation, default: []].append(
                try await WebhookDurabilityTests.postMessage(aBase, fixture, conversation: conversation, text: "a\(index)"))
        }
        // The first attempt has reached the receiver (which holds it 3 s; A gives up after 2.5 s):
        // A dies with its claim in hand, before it can record anything.
        try await LoopbackServer.wait(timeout: .seconds(30), describe: { "no delivery attempt" }) { receiver.requests > 0 }
        a.signal(SIGKILL)
        _ = try await a.waitForExit()
        let killedAt = ContinuousClock.now

        receiver.mode = .accept
        let (b, bBase) = try await ServerProcess.serve(databaseURL: database, environment: Self.environment)
        defer { b.signal(SIGKILL) }
        for index in 10..<16 {
            let conversation = fixture.conversations[index % 2]
            posted[conversation, default: []].append(
                try await WebhookDurabilityTests.postMessage(bBase, fixture, conversation: conversation, text: "b\(index)"))
        }
        let expected = Set(posted.values.joined())
        try await receiver.wait(timeout: .seconds(90)) { Set($0.filter(\.accepted).compactMap(\.messageId)).isSuperset(of: expected) }
        // A's claim (15 s) had to run out before B could send A's batch again.
        #expect(ContinuousClock.now - killedAt > .seconds(5), "B waited for A's lease")
        for (conversation, ids) in posted {
            var order: [String] = []
            for event in receiver.received where event.accepted && event.conversationId == conversation {
                if let id = event.messageId, !order.contains(id) { order.append(id) }
            }
            #expect(order == ids, "conversation \(conversation) arrived out of order")
        }
        #expect(try await Self.messages(bBase, fixture, conversation: fixture.conversations[0]) == posted[fixture.conversations[0]])
    }
}

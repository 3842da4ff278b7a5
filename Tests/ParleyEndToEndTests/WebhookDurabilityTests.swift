import Foundation
import Testing

/// Webhooks across crashes and outages, with real processes and a real receiver.
@Suite("Webhook durability", .serialized)
struct WebhookDurabilityTests {
    static let key = ("act_00000000000000000000beef", "durability-test-account-secret-32-bytes+")
    /// Fast retries so outages of a few seconds are survived within the test's time.
    static let environment = [
        "PARLEY_ACCOUNT_KEY_ID": key.0, "PARLEY_ACCOUNT_KEY_SECRET": key.1, "PARLEY_WEBHOOK_RETRY_SECONDS": "0.2",
        "PARLEY_WEBHOOK_MAX_ATTEMPTS": "100", "PARLEY_WEBHOOK_TIMEOUT_SECONDS": "0.5",
    ]

    struct Fixture {
        let appId: String
        let conversations: [String]
    }

    /// An app with a custom integration whose webhook points at the receiver, a user and `count` conversations.
    static func provision(_ base: URL, receiver: WebhookReceiver, conversations count: Int) async throws -> Fixture {
        let app = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: key, json: #"{"displayName":"Durable"}"#)
        let appId = try #require((app.body["app"] as? [String: Any])?["id"] as? String)
        let apps = base.appendingPathComponent("v2/apps/\(appId)")
        let integration = try await HTTP.send(
            "POST", apps.appendingPathComponent("integrations"), basic: key,
            json: #"{"type":"custom","webhooks":[{"target":"\#(receiver.url)","triggers":["conversation:message"]}]}"#)
        #expect(integration.status == 201)
        var conversations: [String] = []
        for index in 0..<count {
            _ = try await HTTP.send("POST", apps.appendingPathComponent("users"), basic: key, json: #"{"externalId":"u\#(index)"}"#)
            let conversation = try await HTTP.send(
                "POST", apps.appendingPathComponent("conversations"), basic: key,
                json: #"{"type":"personal","participants":[{"userExternalId":"u\#(index)"}]}"#)
            conversations.append(try #require((conversation.body["conversation"] as? [String: Any])?["id"] as? String))
        }
        return Fixture(appId: appId, conversations: conversations)
    }

    static func postMessage(_ base: URL, _ fixture: Fixture, conversation: String, text: String) async throws -> String {
        let response = try await HTTP.send(
            "POST", base.appendingPathComponent("v2/apps/\(fixture.appId)/conversations/\(conversation)/messages"), basic: key,
            json: #"{"author":{"type":"business"},"content":{"type":"text","text":"\#(text)"}}"#)
        #expect(response.status == 201)
        return try #require(((response.body["messages"] as? [[String: Any]])?.first)?["id"] as? String)
    }

    @Test("SIGKILL with events pending: after restart every acknowledged message's event arrives, with its original id")
    func survivesSIGKILL() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        receiver.mode = .fail
        let database = ServeCommandTests.temporaryDatabase()
        let (first, base) = try await ServerProcess.serve(database: database, environment: Self.environment)
        let fixture = try await Self.provision(base, receiver: receiver, conversations: 1)
        var messageIds: [String] = []
        for index in 0..<30 {
            messageIds.append(try await Self.postMessage(base, fixture, conversation: fixture.conversations[0], text: "m\(index)"))
        }
        // Some attempts have failed by now, so events are pending with ids the receiver has seen.
        try await receiver.wait { !$0.isEmpty }
        #expect(receiver.received.allSatisfy { !$0.accepted }, "nothing was delivered before the crash")
        let idsSeenBeforeCrash = Dictionary(receiver.received.map { ($0.messageId ?? "", $0.eventId) }, uniquingKeysWith: { first, _ in first })
        first.signal(SIGKILL)
        _ = try await first.waitForExit()

        receiver.mode = .accept
        let (second, _) = try await ServerProcess.serve(database: database, environment: Self.environment)
        defer { second.signal(SIGKILL) }
        let posted = messageIds
        try await receiver.wait { received in Set(received.filter(\.accepted).compactMap(\.messageId)).isSuperset(of: posted) }
        let accepted = receiver.received.filter(\.accepted)
        for (messageId, eventId) in idsSeenBeforeCrash where !messageId.isEmpty {
            #expect(accepted.contains { $0.messageId == messageId && $0.eventId == eventId }, "event \(eventId) changed id across the crash")
        }
        // In order: the first acceptance of each message follows posting order.
        var firstSeen: [String] = []
        for event in accepted where !firstSeen.contains(event.messageId ?? "") { firstSeen.append(event.messageId ?? "") }
        #expect(firstSeen == messageIds)
    }

    @Test("A receiver that fails (500s, then timeouts) and recovers gets everything, in order per conversation")
    func survivesOutage() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let (server, base) = try await ServerProcess.serve(database: ServeCommandTests.temporaryDatabase(), environment: Self.environment)
        defer { server.signal(SIGKILL) }
        let fixture = try await Self.provision(base, receiver: receiver, conversations: 3)

        receiver.mode = .fail
        var posted: [String: [String]] = [:]
        for index in 0..<24 {
            let conversation = fixture.conversations[index % 3]
            posted[conversation, default: []].append(try await Self.postMessage(base, fixture, conversation: conversation, text: "m\(index)"))
            if index == 8 {
                try await receiver.wait { !$0.isEmpty }
                receiver.mode = .hang
            }
        }
        try await Task.sleep(for: .seconds(2))
        let requestsDuringOutage = receiver.requests
        receiver.mode = .accept
        let expected = Set(posted.values.joined())
        try await receiver.wait { Set($0.filter(\.accepted).compactMap(\.messageId)).isSuperset(of: expected) }
        #expect(requestsDuringOutage > 2, "the outage was retried")
        #expect(receiver.received.contains { !$0.accepted }, "some attempts failed")
        for (conversation, messages) in posted {
            var order: [String] = []
            for event in receiver.received where event.accepted && event.conversationId == conversation {
                if let id = event.messageId, !order.contains(id) { order.append(id) }
            }
            #expect(order == messages, "conversation \(conversation) arrived out of order")
        }
    }
}

import Foundation
import ParleyDomain
import ParleyTestSupport
import Testing

/// The realtime sockets (docs/MESSENGER.md) on a live server: sign-in, per-conversation sequence
/// numbers, replay from the last number seen (no gap, no duplicate), a join racing a burst of
/// commits, the inbox's app-wide notices, and dead sockets found by the server's pings.
@Suite("Realtime")
struct RealtimeTests {
    struct Messenger {
        let api: APIClient
        let port: Int
        let appId: String
        let integrationId: String
        let session: String
        let userId: String
        let conversationId: String

        var base: String { "/web/\(integrationId)" }
        var bearer: String { "Bearer \(session)" }

        func socket() -> RealtimeClient { RealtimeClient(port: port, path: "\(base)/socket") }

        /// A socket signed in with this session.
        func signedInSocket() async throws -> RealtimeClient {
            let socket = socket()
            try socket.send(["type": "auth", "session": session])
            try await socket.wait("ready") { $0.contains { $0["type"] as? String == "ready" } }
            return socket
        }

        func postBusiness(_ text: String) async throws {
            let response = try await api.postText(appId: appId, conversationId: conversationId, text)
            #expect(response.status == 201, "\(response.text)")
        }
    }

    /// A live server with a `web` integration, a messenger session and its user's conversation.
    static func withMessenger(pingSeconds: Double = 15, _ test: @escaping @Sendable (Messenger) async throws -> Void) async throws {
        try await TestServer.run(live: true, realtimePingSeconds: pingSeconds) { api in
            let port = try #require(api.client.port)
            let appId = try await api.createApp("Realtime")
            let created = try await api.post("/v2/apps/\(appId)/integrations", ["type": "web", "businessName": "Shop", "brandColor": "2a6f97"])
            #expect(created.status == 201, "\(created.text)")
            let integrationId = try #require(created.object["integration"]?["id"] as? String)
            let started = try await api.call(
                .post, "/web/\(integrationId)/sessions", json: ["device": ["guid": "0123456789abcdef0123456789abcdef", "info": ["browserLanguage": "en"]]],
                anonymous: true)
            #expect(started.status == 201, "\(started.text)")
            let session = try #require(started.json["session"] as? String)
            let userId = try #require(started.object["user"]?["id"] as? String)
            let conversation = try await api.call(.post, "/web/\(integrationId)/conversations", json: [:], authorization: "Bearer \(session)")
            #expect(conversation.status == 201, "\(conversation.text)")
            let conversationId = try #require(conversation.object["conversation"]?["id"] as? String)
            try await test(Messenger(
                api: api, port: port, appId: appId, integrationId: integrationId, session: session, userId: userId, conversationId: conversationId))
        }
    }

    @Test("a client that reconnects with the last number it saw gets exactly what it missed")
    func resume() async throws {
        try await Self.withMessenger { messenger in
            for text in ["one", "two"] { try await messenger.postBusiness(text) }
            let first = try await messenger.signedInSocket()
            try first.send(["type": "subscribe", "conversationId": messenger.conversationId, "after": 0])
            try await first.wait("the replay") { $0.contains { $0["type"] as? String == "subscribed" } }
            #expect(first.events.compactMap(\.text) == ["one", "two"])
            try await messenger.postBusiness("three")
            try await first.wait("a live event") { _ in first.events.compactMap(\.text).count == 3 }
            let seen = first.events
            #expect(seen.map(\.seq) == seen.map(\.seq).sorted() && Set(seen.map(\.seq)).count == seen.count, "numbers rise: \(seen)")
            let last = try #require(seen.last?.seq)
            await first.close()

            // Missed while away: two business messages and the user's own, posted by the messenger.
            try await messenger.postBusiness("four")
            let own = try await messenger.api.call(
                .post, "\(messenger.base)/conversations/\(messenger.conversationId)/messages", json: ["content": ["type": "text", "text": "five"]],
                authorization: messenger.bearer)
            #expect(own.status == 201, "\(own.text)")
            try await messenger.postBusiness("six")

            let second = try await messenger.signedInSocket()
            try second.send(["type": "subscribe", "conversationId": messenger.conversationId, "after": last])
            try await second.wait("the resumed replay") { $0.contains { $0["type"] as? String == "subscribed" } }
            #expect(second.events.compactMap(\.text) == ["four", "five", "six"], "exactly the missed messages: \(second.events)")
            #expect(second.events.allSatisfy { $0.seq > last })
            let subscribed = try #require(second.frames.first { $0["type"] as? String == "subscribed" })
            #expect(subscribed["seq"] as? Int == second.events.last?.seq)
            // The user's message carries the messenger's source.
            let five = try #require(second.frames.first { frame in
                ((frame["event"] as? [String: Any])?["payload"] as? [String: Any]).flatMap { $0["message"] as? [String: Any] }
                    .flatMap { $0["content"] as? [String: Any] }?["text"] as? String == "five"
            })
            let source = (((five["event"] as? [String: Any])?["payload"] as? [String: Any])?["message"] as? [String: Any])?["source"] as? [String: Any]
            #expect(source?["type"] as? String == "web" && source?["integrationId"] as? String == messenger.integrationId)

            // Subscribing again from the same number on a third socket gives the same events.
            let third = try await messenger.signedInSocket()
            try third.send(["type": "subscribe", "conversationId": messenger.conversationId, "after": last])
            try await third.wait("the same replay") { $0.contains { $0["type"] as? String == "subscribed" } }
            #expect(third.events.map(\.seq) == second.events.map(\.seq))
            await second.close()
            await third.close()
        }
    }

    @Test("a socket that joins during a burst of posts sees every message once, in order")
    func joinDuringBurst() async throws {
        try await Self.withMessenger { messenger in
            let count = 40
            let burst = Task {
                for index in 1...count { try await messenger.postBusiness("m\(index)") }
            }
            try await Task.sleep(for: .milliseconds(30))
            let socket = try await messenger.signedInSocket()
            try socket.send(["type": "subscribe", "conversationId": messenger.conversationId, "after": 0])
            try await burst.value
            try await socket.wait("every message") { _ in socket.events.compactMap(\.text).count >= count }
            try await Task.sleep(for: .milliseconds(200))
            #expect(socket.events.compactMap(\.text) == (1...count).map { "m\($0)" })
            let seqs = socket.events.map(\.seq)
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
            await socket.close()
        }
    }

    @Test("sign-in and access: a bad session is refused, another user's conversation is not found")
    func access() async throws {
        try await Self.withMessenger { messenger in
            let stranger = messenger.socket()
            try stranger.send(["type": "auth", "session": "pst1.forged.token"])
            let closed = try await stranger.ended()
            #expect(stranger.frames.first?["type"] as? String == "error")
            #expect(closed?.closeCode == .unknown(4401))

            // A second anonymous visitor: their session cannot follow the first user's conversation.
            let other = try await messenger.api.call(
                .post, "\(messenger.base)/sessions", json: ["device": ["guid": "fedcba9876543210fedcba9876543210"]], anonymous: true)
            let otherSession = try #require(other.json["session"] as? String)
            let socket = messenger.socket()
            try socket.send(["type": "auth", "session": otherSession])
            try socket.send(["type": "subscribe", "conversationId": messenger.conversationId, "after": 0])
            try await socket.wait("a refusal") { $0.contains { $0["type"] as? String == "error" } }
            #expect(socket.frames.last?["code"] as? String == "conversation_not_found")
            // Nor read or post there over HTTP.
            let read = try await messenger.api.call(
                .get, "\(messenger.base)/conversations/\(messenger.conversationId)/messages", authorization: "Bearer \(otherSession)")
            #expect(read.status == 404)
            // A session of one integration is not one of another's.
            let api = try await messenger.api.call(.get, "/v2/apps/\(messenger.appId)/conversations/\(messenger.conversationId)", authorization: messenger.bearer)
            #expect(api.status == 401, "a messenger session is no API credential")
            await socket.close()
        }
    }

    @Test("the inbox's socket hears of every conversation of its app")
    func inboxNotices() async throws {
        try await Self.withMessenger { messenger in
            let key = try await messenger.api.createAppKey(appId: messenger.appId)
            let signIn = try await messenger.api.call(.post, "/inbox/sessions", json: ["keyId": key.id, "secret": key.secret], anonymous: true)
            #expect(signIn.status == 201, "\(signIn.text)")
            let session = try #require(signIn.json["session"] as? String)
            let socket = RealtimeClient(port: messenger.port, path: "/inbox/socket")
            try socket.send(["type": "auth", "session": session])
            try socket.send(["type": "subscribe", "scope": "app"])
            try await socket.wait("ready") { $0.contains { $0["type"] as? String == "ready" } }
            try await Task.sleep(for: .milliseconds(100))
            let posted = try await messenger.api.call(
                .post, "\(messenger.base)/conversations/\(messenger.conversationId)/messages", json: ["content": ["type": "text", "text": "help"]],
                authorization: messenger.bearer)
            #expect(posted.status == 201)
            try await socket.wait("a notice") { frames in
                frames.contains { $0["type"] as? String == "notice" && $0["eventType"] as? String == "conversation:message" }
            }
            let notice = try #require(socket.frames.first { $0["type"] as? String == "notice" && $0["eventType"] as? String == "conversation:message" })
            #expect(notice["conversationId"] as? String == messenger.conversationId)
            // The messenger's socket may not watch the whole app.
            let user = try await messenger.signedInSocket()
            try user.send(["type": "subscribe", "scope": "app"])
            try await user.wait("a refusal") { $0.contains { $0["type"] as? String == "error" } }
            await user.close()
            await socket.close()
        }
    }

    @Test("a socket that stops answering pings is closed")
    func deadSocket() async throws {
        try await Self.withMessenger(pingSeconds: 0.3) { messenger in
            let started = ContinuousClock.now
            let silent = try await SilentSocket.open(port: messenger.port, path: "\(messenger.base)/socket")
            try await silent.waitForClose(timeout: .seconds(20))
            // Two missed pings: closed after about 0.6 s, well before the 10 s sign-in deadline.
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }
}

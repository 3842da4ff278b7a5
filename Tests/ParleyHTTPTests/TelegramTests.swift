import Crypto
import Foundation
import ParleyDomain
import Synchronization
import Testing

/// A Telegram bot as a channel: updates in through the bot's webhook (with its secret token),
/// business messages out through the Bot API, against `FakeTelegram`.
@Suite("Telegram")
struct TelegramTests {
    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let telegram: FakeTelegram
        var webhook: String { "/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook" }
    }

    /// The secret Parley gives Telegram for the bot's webhook, computed here independently: hex
    /// HMAC-SHA256 of the label under the bot's token.
    static func secret(_ token: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("parley-telegram-webhook".utf8), using: SymmetricKey(data: Data(token.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func withTelegram(_ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let telegram = FakeTelegram()
        try await telegram.start()
        defer { telegram.stop() }
        try await TestServer.run(telegramBaseURL: telegram.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let appId = try await api.createApp("Channel 5")
            let key = try await api.createAppKey(appId: appId)
            let created = try await api.post("/v2/apps/\(appId)/integrations", ["type": "telegram", "token": telegram.token])
            #expect(created.status == 201, "\(created.text)")
            #expect(created.object["integration"]?["token"] == nil, "the token is never shown")
            let integrationId = try #require(created.object["integration"]?["id"] as? String)
            // The token was checked with getMe, which named the bot, and the bot's webhook set to Parley.
            #expect(created.object["integration"]?["username"] as? String == "channel5_bot")
            #expect(created.object["integration"]?["botId"] as? String == "123456789")
            #expect(telegram.webhook?.url == "http://parley.test/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook")
            #expect(telegram.webhook?.secret == Self.secret(telegram.token))
            try await test(Fixture(api: api.as_(key), appId: appId, integrationId: integrationId, telegram: telegram))
        }
    }

    /// Posts one Update to the bot's webhook, with the bot's secret unless told otherwise.
    static func deliver(_ fixture: Fixture, _ update: [String: Any], secret: String?? = .none) async throws -> APIResponse {
        let header = secret ?? Self.secret(fixture.telegram.token)
        return try await fixture.api.call(
            .post, fixture.webhook, body: String(decoding: try JSONSerialization.data(withJSONObject: update), as: UTF8.self),
            contentType: "application/json", anonymous: true, headers: header.map { ["X-Telegram-Bot-Api-Secret-Token": $0] } ?? [:])
    }

    /// A private chat's message from Ann (chat 4242).
    static func message(_ id: Int, _ fields: [String: Any], chat: Int = 4242) -> [String: Any] {
        [
            "update_id": 10_000 + id,
            "message": [
                "message_id": id, "date": 1_790_000_000,
                "from": ["id": chat, "is_bot": false, "first_name": "Ann", "last_name": "Lee", "language_code": "en"],
                "chat": ["id": chat, "type": "private", "first_name": "Ann"],
            ].merging(fields) { $1 },
        ]
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").list("messages")
    }

    @Test("A person's message makes a user, a conversation and a client; a retried update is stored once; forged and missing secrets are 401")
    func inbound() async throws {
        try await Self.withTelegram { fixture in
            let hello = Self.message(7, ["text": "Hello bot"])
            #expect(try await Self.deliver(fixture, hello, secret: .some(nil)).status == 401)
            #expect(try await Self.deliver(fixture, hello, secret: Self.secret("another:token")).status == 401)
            let received = try await Self.deliver(fixture, hello)
            #expect(received.status == 200, "\(received.text)")
            #expect(received.json["result"] as? String == "stored")
            let conversationId = try #require(received.json["conversationId"] as? String)
            let messages = try await Self.messages(fixture, conversationId)
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect((message["content"] as? [String: Any])?["text"] as? String == "Hello bot")
            #expect((message["author"] as? [String: Any])?["displayName"] as? String == "Ann Lee")
            #expect((message["source"] as? [String: Any])?["type"] as? String == "telegram")
            let userId = try #require((message["author"] as? [String: Any])?["userId"] as? String)
            let user = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)").object["user"]
            #expect((user?["profile"] as? [String: Any])?["givenName"] as? String == "Ann")
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.first?["type"] as? String == "telegram" && clients.first?["externalId"] as? String == "4242")
            // Telegram repeats an update it thinks failed: stored once.
            #expect(try await Self.deliver(fixture, hello).json["result"] as? String == "duplicate")
            // Edits, group messages and other updates are acknowledged and ignored.
            #expect(try await Self.deliver(fixture, ["update_id": 1, "edited_message": [:]]).json["result"] as? String == "ignored")
            var group = Self.message(8, ["text": "hi all"])
            group["message"] = (group["message"] as? [String: Any])?.merging(["chat": ["id": -100, "type": "group"]]) { $1 }
            #expect(try await Self.deliver(fixture, group).json["result"] as? String == "ignored")
            #expect(try await Self.messages(fixture, conversationId).count == 1)
            // A deep link's /start payload is a referral, not a message.
            let start = try await Self.deliver(fixture, Self.message(9, ["text": "/start spring-ad"], chat: 5151))
            #expect(start.json["result"] as? String == "signalled", "\(start.text)")
        }
    }

    @Test("Business messages go out by the Bot API: text with link and postback buttons, quick replies as a keyboard, images and files with captions; a chosen postback is answered")
    func outbound() async throws {
        try await Self.withTelegram { fixture in
            let conversationId = try #require(try await Self.deliver(fixture, Self.message(1, ["text": "Hi"])).json["conversationId"] as? String)
            let path = "/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages"
            let contents: [[String: Any]] = [
                ["type": "text", "text": "Your order?", "actions": [
                    ["type": "link", "text": "Track", "uri": "https://shop.example.com/track"],
                    ["type": "postback", "text": "Cancel it", "payload": "CANCEL"],
                ]],
                ["type": "text", "text": "Size?", "actions": [["type": "reply", "text": "Small", "payload": "S"], ["type": "reply", "text": "Large", "payload": "L"]]],
                ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"],
                ["type": "file", "mediaUrl": "https://cdn.example.com/invoice.pdf"],
            ]
            for (index, content) in contents.enumerated() {
                let posted = try await fixture.api.post(path, ["author": ["type": "business"], "content": content])
                #expect(posted.status == 201, "\(posted.text)")
                try await fixture.telegram.wait { fixture.telegram.sends.count == index + 1 }
            }
            let sends = fixture.telegram.sends
            #expect(sends.map(\.method) == ["sendMessage", "sendMessage", "sendPhoto", "sendDocument"])
            #expect(sends.allSatisfy { $0.body["chat_id"] as? Int == 4242 })
            let buttons = try #require((sends[0].body["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]])
            #expect(buttons.count == 2 && buttons[0].first?["url"] as? String == "https://shop.example.com/track")
            let callback = try #require(buttons[1].first?["callback_data"] as? String)
            #expect(callback.utf8.count <= 64 && buttons[1].first?["text"] as? String == "Cancel it")
            let keyboard = try #require(sends[1].body["reply_markup"] as? [String: Any])
            #expect((keyboard["keyboard"] as? [[[String: Any]]])?.map { $0.first?["text"] as? String } == ["Small", "Large"])
            #expect(keyboard["one_time_keyboard"] as? Bool == true)
            #expect(sends[2].body["photo"] as? String == "https://cdn.example.com/box.jpg" && sends[2].body["caption"] as? String == "Your box")
            #expect(sends[3].body["document"] as? String == "https://cdn.example.com/invoice.pdf" && sends[3].body["caption"] == nil)

            // Ann taps "Cancel it": the postback is recorded and Telegram told the tap was handled.
            let tap: [String: Any] = [
                "update_id": 99, "callback_query": [
                    "id": "4382bfdwdsb323b2d9", "data": callback, "chat_instance": "1",
                    "from": ["id": 4242, "is_bot": false, "first_name": "Ann"],
                ],
            ]
            let chosen = try await Self.deliver(fixture, tap)
            #expect(chosen.json["result"] as? String == "signalled", "\(chosen.text)")
            let answered = fixture.telegram.calls.filter { $0.method == "answerCallbackQuery" }
            #expect(answered.map { $0.body["callback_query_id"] as? String } == ["4382bfdwdsb323b2d9"])
            // A forged choice (another job) is answered too, and changes nothing.
            var forged = tap
            forged["callback_query"] = (tap["callback_query"] as? [String: Any])?.merging(["data": "p:\(String(repeating: "a", count: 24)):1"]) { $1 }
            #expect(try await Self.deliver(fixture, forged).json["result"] as? String == "ignored")
        }
    }

    @Test("A photo or document a person sends is fetched with getFile into an attachment of its message")
    func inboundMedia() async throws {
        try await Self.withTelegram { fixture in
            let photo = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 3) }
            let photoId = fixture.telegram.addFile(photo, type: "image/jpeg")
            let sizes: [[String: Any]] = [
                ["file_id": "small", "file_unique_id": "s", "width": 90, "height": 90],
                ["file_id": photoId, "file_unique_id": "l", "width": 800, "height": 800, "file_size": 20_000],
            ]
            let received = try await Self.deliver(fixture, Self.message(3, ["photo": sizes, "caption": "Look"]))
            let conversationId = try #require(received.json["conversationId"] as? String, "\(received.text)")
            let pdf = fixture.telegram.addFile(Array("%PDF-1.4".utf8), type: "application/pdf")
            _ = try await Self.deliver(fixture, Self.message(4, ["document": ["file_id": pdf, "file_unique_id": "d", "file_name": "menu.pdf", "mime_type": "application/pdf"]]))
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.count == 2)
            guard contents.count == 2 else { return }
            #expect(contents[0]["type"] as? String == "image" && contents[0]["text"] as? String == "Look" && contents[0]["mediaSize"] as? Int == 20_000)
            #expect(contents[1]["type"] as? String == "file" && contents[1]["mediaType"] as? String == "application/pdf")
            let mediaUrl = try #require(contents[0]["mediaUrl"] as? String)
            #expect(!mediaUrl.contains(fixture.telegram.token), "Telegram's file URLs carry the bot token: never shown")
            let served = try await fixture.api.call(.get, AttachmentsTests.path(mediaUrl), anonymous: true)
            #expect(served.status == 200 && Array(served.body) == photo)
        }
    }

    @Test("A token Telegram does not know is 400 with Telegram's word, and nothing is stored")
    func unknownToken() async throws {
        try await Self.withTelegram { fixture in
            let refused = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", ["type": "telegram", "token": "999:wrong"])
            #expect(refused.status == 400 && refused.errorTitle.contains("Telegram refused the bot token"), "\(refused.text)")
            let listed = try await fixture.api.get("/v2/apps/\(fixture.appId)/integrations?filter[types]=telegram").list("integrations")
            #expect(listed.count == 1)
        }
    }

    @Test("A 429 is retried no sooner than Telegram's retry_after")
    func rateLimit() async throws {
        try await Self.withTelegram { fixture in
            let conversationId = try #require(try await Self.deliver(fixture, Self.message(1, ["text": "Hi"])).json["conversationId"] as? String)
            fixture.telegram.answer(429)
            let started = ContinuousClock.now
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Later").status == 201)
            try await fixture.telegram.wait { fixture.telegram.sends.count == 2 }
            // The retry policy alone would have tried again after 0.1 s.
            #expect(ContinuousClock.now - started >= .milliseconds(950))
            #expect(fixture.telegram.sends.map { $0.body["text"] as? String } == ["Later", "Later"])
        }
    }
}

import Foundation
import Testing

/// WhatsApp as a channel: the Cloud API's signed notifications in, business messages out, against
/// `FakeWhatsApp`, with a custom integration's webhook watching the events.
@Suite("WhatsApp")
struct WhatsAppTests {
    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let whatsapp: FakeWhatsApp
        let hooks: WebhookInbox
        var webhook: String { "/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook" }
    }

    /// Ann's WhatsApp id (her number without the +).
    static let ann = "16505551234"

    static let triggers = [
        "conversation:message", "conversation:postback", "conversation:referral", "conversation:read",
        "conversation:message:delivery:channel", "conversation:message:delivery:user", "conversation:message:delivery:failure",
    ]

    static func withWhatsApp(_ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let whatsapp = FakeWhatsApp()
        let hooks = WebhookInbox()
        try await whatsapp.start()
        try await hooks.start()
        defer {
            whatsapp.stop()
            hooks.stop()
        }
        try await TestServer.run(whatsappBaseURL: whatsapp.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let appId = try await api.createApp("Channel 5")
            let key = try await api.createAppKey(appId: appId)
            let created = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "whatsapp", "accountId": whatsapp.accountId, "accountManagementAccessToken": whatsapp.token,
                "phoneNumberId": whatsapp.phoneNumberId, "appSecret": whatsapp.appSecret,
            ])
            #expect(created.status == 201, "\(created.text)")
            let integrationId = try #require(created.object["integration"]?["id"] as? String)
            let custom = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "custom", "webhooks": [["target": hooks.target("bot"), "triggers": triggers]],
            ])
            #expect(custom.status == 201, "\(custom.text)")
            try await test(Fixture(api: api.as_(key), appId: appId, integrationId: integrationId, whatsapp: whatsapp, hooks: hooks))
        }
    }

    /// Posts a notification to the webhook, signed with the app secret unless told otherwise
    /// (`signature: .some(nil)`: none).
    @discardableResult
    static func deliver(_ fixture: Fixture, _ notification: [String: Any], signature: String?? = .none) async throws -> APIResponse {
        let body = try JSONSerialization.data(withJSONObject: notification)
        let header = signature ?? fixture.whatsapp.signature(body)
        return try await fixture.api.call(
            .post, fixture.webhook, body: String(decoding: body, as: UTF8.self), contentType: "application/json", anonymous: true,
            headers: header.map { ["X-Hub-Signature-256": $0] } ?? [:])
    }

    /// A message from Ann (`fields` holds its `type` and that type's object), as WhatsApp notifies it.
    static func message(_ fixture: Fixture, id: String = "wamid.in" + UUID().uuidString.prefix(8), from: String = ann, _ fields: [String: Any])
        -> [String: Any]
    {
        fixture.whatsapp.notification([
            "contacts": [["profile": ["name": "Ann Lee"], "wa_id": from]],
            "messages": [["from": from, "id": id, "timestamp": "1790000000"].merging(fields) { $1 }],
        ])
    }

    static func results(_ response: APIResponse) -> [[String: Any]] {
        response.json["results"] as? [[String: Any]] ?? []
    }

    /// Ann writes first; her conversation's id.
    static func annWrites(_ fixture: Fixture, _ text: String = "Hi") async throws -> String {
        fixture.whatsapp.openWindow(ann)
        let received = try await deliver(fixture, message(fixture, ["type": "text", "text": ["body": text]]))
        return try #require(results(received).first?["conversationId"] as? String, "\(received.text)")
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").list("messages")
    }

    @Test("Creating the integration checks the number with the Cloud API and shows a verify token; Meta's handshake answers the challenge for it only")
    func creationAndHandshake() async throws {
        try await Self.withWhatsApp { fixture in
            let integration = try #require(
                try await fixture.api.get("/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)").object["integration"])
            #expect(integration["phoneNumber"] as? String == "+15550002222")
            #expect(integration["hsmFallbackLanguage"] as? String == "en_US")
            #expect(integration["accountManagementAccessToken"] == nil && integration["appSecret"] == nil, "secrets are never shown")
            let verifyToken = try #require(integration["webhookVerifyToken"] as? String)
            #expect(verifyToken.count == 32)

            let challenge = "1158201444"
            let base = "\(fixture.webhook)?hub.mode=subscribe&hub.challenge=\(challenge)&hub.verify_token="
            let answered = try await fixture.api.call(.get, base + verifyToken, anonymous: true)
            #expect(answered.status == 200 && answered.text == challenge, "\(answered.text)")
            #expect(try await fixture.api.call(.get, base + "guess", anonymous: true).status == 403)
            #expect(try await fixture.api.call(.get, fixture.webhook, anonymous: true).status == 400)

            // A number the account does not have is refused with Meta's words; nothing is stored.
            let refused = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "whatsapp", "accountManagementAccessToken": fixture.whatsapp.token, "phoneNumberId": "999", "appSecret": "s",
            ])
            #expect(refused.status == 400 && refused.errorTitle.contains("does not exist"), "\(refused.text)")
            let garbled = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "whatsapp", "accountManagementAccessToken": "tök en", "phoneNumberId": fixture.whatsapp.phoneNumberId,
            ])
            #expect(garbled.status == 400 && garbled.errorTitle.contains("accountManagementAccessToken"), "\(garbled.text)")
            // The spec requires none of the fields: without a token and number it is only stored.
            let stored = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", ["type": "whatsapp", "accountId": "waba-2"])
            #expect(stored.status == 201 && stored.object["integration"]?["phoneNumber"] == nil, "\(stored.text)")
        }
    }

    @Test("A stranger's message makes a user, a conversation and a client; retries are stored once; unsigned, forged and other numbers' notifications change nothing")
    func inbound() async throws {
        try await Self.withWhatsApp { fixture in
            let hello = Self.message(fixture, id: "wamid.first", ["type": "text", "text": ["body": "Hello"]])
            #expect(try await Self.deliver(fixture, hello, signature: .some(nil)).status == 401)
            #expect(try await Self.deliver(fixture, hello, signature: fixture.whatsapp.signature(Data("{}".utf8))).status == 401)
            let other = try JSONSerialization.data(withJSONObject: hello)
            #expect(try await Self.deliver(fixture, hello, signature: fixture.whatsapp.signature(other, secret: "another-app")).status == 401)

            let received = try await Self.deliver(fixture, hello)
            #expect(received.status == 200, "\(received.text)")
            let result = try #require(Self.results(received).first)
            #expect(result["result"] as? String == "stored")
            let conversationId = try #require(result["conversationId"] as? String)
            let message = try #require(try await Self.messages(fixture, conversationId).first)
            #expect((message["content"] as? [String: Any])?["text"] as? String == "Hello")
            #expect((message["author"] as? [String: Any])?["displayName"] as? String == "Ann Lee")
            #expect((message["source"] as? [String: Any])?["type"] as? String == "whatsapp")
            let userId = try #require((message["author"] as? [String: Any])?["userId"] as? String)
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.first?["type"] as? String == "whatsapp" && clients.first?["externalId"] as? String == "+16505551234")

            #expect(Self.results(try await Self.deliver(fixture, hello)).first?["result"] as? String == "duplicate")
            // Another number of the same Business Account is another integration's business.
            var elsewhere = hello
            elsewhere = fixture.whatsapp.notification(
                ((((hello["entry"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first?["value"] as? [String: Any]) ?? [:]),
                phoneNumberId: "200000000000001")
            #expect(Self.results(try await Self.deliver(fixture, elsewhere)).isEmpty)
            #expect(try await Self.messages(fixture, conversationId).count == 1)
        }
    }

    @Test("Pictures and documents are fetched by media id into attachments; a location is a location message; an ad referral is a referral event")
    func inboundMediaLocationReferral() async throws {
        try await Self.withWhatsApp { fixture in
            let photo = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let photoId = fixture.whatsapp.addMedia(photo, type: "image/jpeg")
            let received = try await Self.deliver(
                fixture, Self.message(fixture, ["type": "image", "image": ["id": photoId, "mime_type": "image/jpeg", "caption": "My box"]]))
            let conversationId = try #require(Self.results(received).first?["conversationId"] as? String, "\(received.text)")
            let pdf = fixture.whatsapp.addMedia(Array("%PDF-1.4 receipt".utf8), type: "application/pdf")
            try await Self.deliver(
                fixture, Self.message(fixture, ["type": "document", "document": ["id": pdf, "mime_type": "application/pdf", "filename": "receipt.pdf"]]))
            try await Self.deliver(fixture, Self.message(fixture, [
                "type": "location", "location": ["latitude": 45.5017, "longitude": -73.5673, "name": "Shop", "address": "1 Main St"],
            ]))
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.count == 3)
            guard contents.count == 3 else { return }
            #expect(contents[0]["type"] as? String == "image" && contents[0]["text"] as? String == "My box" && contents[0]["mediaSize"] as? Int == 30_000)
            let served = try await fixture.api.call(.get, AttachmentsTests.path(try #require(contents[0]["mediaUrl"] as? String)), anonymous: true)
            #expect(served.status == 200 && Array(served.body) == photo)
            #expect(contents[1]["type"] as? String == "file" && contents[1]["mediaType"] as? String == "application/pdf")
            #expect((contents[1]["mediaUrl"] as? String)?.hasSuffix("receipt.pdf") == true)
            #expect(contents[2]["type"] as? String == "location")
            #expect((contents[2]["coordinates"] as? [String: Any])?["lat"] as? Double == 45.5017)
            #expect((contents[2]["location"] as? [String: Any])?["address"] as? String == "1 Main St")
            #expect((contents[2]["text"] as? String)?.contains("45.5017,-73.5673") == true, "the fallback text the API writes")
            #expect(fixture.whatsapp.mediaFetches == 2)

            // Ann arrives from a click-to-WhatsApp ad: the referral and her message.
            try await Self.deliver(fixture, Self.message(fixture, [
                "type": "text", "text": ["body": "Is this still on sale?"],
                "referral": ["source_url": "https://fb.me/ad", "source_id": "ad-2026-winter", "source_type": "ad", "headline": "Winter sale"],
            ]))
            try await fixture.hooks.wait { fixture.hooks.types("bot").contains("conversation:referral") }
            let referral = try #require(fixture.hooks.events("bot").first { $0["type"] as? String == "conversation:referral" })
            #expect(((referral["payload"] as? [String: Any])?["referral"] as? [String: Any])?["code"] as? String == "ad-2026-winter")
        }
    }

    @Test("Business messages map to the Cloud API's types: text, links, reply buttons, lists, postbacks, image, document, location, template, carousel fallback, override")
    func outbound() async throws {
        try await Self.withWhatsApp { fixture in
            let conversationId = try await Self.annWrites(fixture)
            let path = "/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages"
            let template: [String: Any] = ["name": "order_update", "components": [["type": "body", "parameters": [["type": "text", "text": "42"]]]]]
            let posts: [[String: Any]] = [
                ["content": ["type": "text", "text": "Hello Ann, see https://shop.example.com"]],
                ["content": ["type": "text", "text": "Track it", "actions": [["type": "link", "text": "Track", "uri": "https://shop.example.com/t/42"]]]],
                ["content": ["type": "text", "text": "Size?", "actions": [
                    ["type": "reply", "text": "Small", "payload": "SIZE_S"], ["type": "reply", "text": "Large", "payload": "SIZE_L"],
                    ["type": "postback", "text": "Talk to a person", "payload": "AGENT"],
                ]]],
                ["content": ["type": "text", "text": "Colour?", "actions": ["red", "green", "blue", "black"].map {
                    ["type": "reply", "text": $0, "payload": $0.uppercased()]
                }]],
                ["content": ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"]],
                ["content": ["type": "file", "mediaUrl": "https://cdn.example.com/files/invoice%2042.pdf"]],
                ["content": ["type": "location", "coordinates": ["lat": 45.5017, "long": -73.5673], "location": ["name": "Shop"]]],
                ["content": ["type": "template", "template": template], "schema": "whatsapp"],
                ["content": ["type": "carousel", "items": [
                    ["title": "Tacos", "actions": [["type": "link", "text": "Order", "uri": "https://shop.example.com/tacos"]]],
                    ["title": "Ramen", "actions": [["type": "link", "text": "Order", "uri": "https://shop.example.com/ramen"]]],
                ]]],
                ["content": ["type": "text", "text": "Fallback"], "override": ["whatsapp": ["payload": [
                    "type": "text", "text": ["body": "Native text", "preview_url": false], "biz_opaque_callback_data": "campaign-7",
                ]]]],
            ]
            for (index, post) in posts.enumerated() {
                let posted = try await fixture.api.post(path, post.merging(["author": ["type": "business"]]) { $1 })
                #expect(posted.status == 201, "\(index): \(posted.text)")
                try await fixture.whatsapp.wait { fixture.whatsapp.sends.count == index + 1 }
            }
            let sends = fixture.whatsapp.sends
            #expect(sends.map(\.type) == ["text", "interactive", "interactive", "interactive", "image", "document", "location", "template", "text", "text"])
            #expect(sends.allSatisfy { $0.body["to"] as? String == "+16505551234" })
            #expect(sends[0].field("text")["preview_url"] as? Bool == true)
            let cta = sends[1].field("interactive")
            #expect(cta["type"] as? String == "cta_url")
            #expect(((cta["action"] as? [String: Any])?["parameters"] as? [String: Any])?["url"] as? String == "https://shop.example.com/t/42")
            let buttons = try #require(((sends[2].field("interactive")["action"] as? [String: Any])?["buttons"] as? [[String: Any]])?
                .compactMap { $0["reply"] as? [String: Any] })
            #expect(buttons.map { $0["title"] as? String } == ["Small", "Large", "Talk to a person"])
            #expect(buttons.prefix(2).map { $0["id"] as? String } == ["SIZE_S", "SIZE_L"])
            let postbackId = try #require(buttons.last?["id"] as? String)
            #expect(postbackId.hasPrefix("p:"))
            let list = sends[3].field("interactive")
            #expect(list["type"] as? String == "list")
            let rows = ((list["action"] as? [String: Any])?["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]]
            #expect(rows?.map { $0["id"] as? String } == ["RED", "GREEN", "BLUE", "BLACK"])
            #expect(sends[4].field("image")["link"] as? String == "https://cdn.example.com/box.jpg" && sends[4].field("image")["caption"] as? String == "Your box")
            #expect(sends[5].field("document")["filename"] as? String == "invoice 42.pdf")
            #expect(sends[6].field("location")["latitude"] as? Double == 45.5017 && sends[6].field("location")["name"] as? String == "Shop")
            let sentTemplate = sends[7].field("template")
            #expect(sentTemplate["name"] as? String == "order_update")
            #expect((sentTemplate["language"] as? [String: Any])?["code"] as? String == "en_US", "the integration's hsmFallbackLanguage")
            let carousel = try #require(sends[8].field("text")["body"] as? String)
            #expect(carousel.contains("Tacos") && carousel.contains("https://shop.example.com/ramen"))
            #expect(sends[9].field("text")["body"] as? String == "Native text" && sends[9].body["biz_opaque_callback_data"] as? String == "campaign-7")

            // Ann taps the reply button, then the postback one.
            let reply = try await Self.deliver(fixture, Self.message(fixture, [
                "type": "interactive", "interactive": ["type": "button_reply", "button_reply": ["id": "SIZE_L", "title": "Large"]],
            ]))
            #expect(Self.results(reply).first?["result"] as? String == "stored", "\(reply.text)")
            let answer = try #require(try await Self.messages(fixture, conversationId).last?["content"] as? [String: Any])
            #expect(answer["text"] as? String == "Large" && answer["payload"] as? String == "SIZE_L")
            let chosen = try await Self.deliver(fixture, Self.message(fixture, [
                "type": "interactive", "interactive": ["type": "button_reply", "button_reply": ["id": postbackId, "title": "Talk to a person"]],
            ]))
            #expect(Self.results(chosen).first?["result"] as? String == "signalled", "\(chosen.text)")
            try await fixture.hooks.wait { fixture.hooks.types("bot").contains("conversation:postback") }
            let postback = try #require(fixture.hooks.events("bot").first { $0["type"] as? String == "conversation:postback" })
            #expect(((postback["payload"] as? [String: Any])?["postback"] as? [String: Any])?["payload"] as? String == "AGENT")
        }
    }

    @Test("Statuses become events: delivered, read, and a free-form message outside the 24-hour window failing with 131047; throughput limits are retried")
    func statuses() async throws {
        try await Self.withWhatsApp { fixture in
            let conversationId = try await Self.annWrites(fixture)
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Thanks!").status == 201)
            try await fixture.whatsapp.wait { fixture.whatsapp.sends.count == 1 }
            let thanks = try #require(fixture.whatsapp.sends.first)
            #expect(thanks.deliverable)
            try await fixture.hooks.wait { fixture.hooks.types("bot").contains("conversation:message:delivery:channel") }
            for status in ["sent", "delivered", "read"] {
                try await Self.deliver(fixture, fixture.whatsapp.notification(["statuses": [[
                    "id": thanks.wamid, "status": status, "timestamp": "1790000100", "recipient_id": Self.ann,
                ]]]))
            }
            try await fixture.hooks.wait {
                let types = fixture.hooks.types("bot")
                return types.contains("conversation:message:delivery:user") && types.contains("conversation:read")
            }

            // Ann has not written for more than a day: WhatsApp accepts a free-form message, then fails
            // it. (Its first attempt meets a throughput limit and is tried again.)
            fixture.whatsapp.closeWindow(Self.ann)
            fixture.whatsapp.answer(130_429)
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Are you there?").status == 201)
            try await fixture.whatsapp.wait { fixture.whatsapp.sends.count == 2 }
            let late = fixture.whatsapp.sends[1]
            #expect(!late.deliverable)
            try await fixture.hooks.wait { fixture.hooks.types("bot").filter { $0 == "conversation:message:delivery:channel" }.count == 2 }
            try await Self.deliver(fixture, fixture.whatsapp.notification(["statuses": [[
                "id": late.wamid, "status": "failed", "timestamp": "1790090000", "recipient_id": Self.ann,
                "errors": [["code": 131_047, "title": "Re-engagement message", "message": "Re-engagement message"]],
            ]]]))
            try await fixture.hooks.wait { fixture.hooks.types("bot").contains("conversation:message:delivery:failure") }
            let failure = try #require(fixture.hooks.events("bot").first { $0["type"] as? String == "conversation:message:delivery:failure" })
            let error = ((failure["payload"] as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
            #expect(error?.contains("131047") == true && error?.contains("template") == true, "\(failure)")
        }
    }

    @Test("CreateClient links a WhatsApp number: immediate sends the confirmation, userActivity waits for the user's first message")
    func linking() async throws {
        try await Self.withWhatsApp { fixture in
            let conversationId = try await fixture.api.createPersonalConversation(appId: fixture.appId, externalId: "steve")
            let link: ([String: Any], String) async throws -> APIResponse = { confirmation, number in
                try await fixture.api.post("/v2/apps/\(fixture.appId)/users/steve/clients", [
                    "matchCriteria": ["type": "whatsapp", "integrationId": fixture.integrationId, "phoneNumber": number],
                    "confirmation": confirmation, "target": ["conversationId": conversationId],
                ])
            }
            #expect(try await link(["type": "immediate"], "212 555 2368").status == 400)
            fixture.whatsapp.openWindow("12125552368")
            let immediate = try await link(["type": "immediate", "message": ["author": ["type": "business"], "content": ["type": "text", "text": "Hello!"]]], "+1 212 555 2368")
            #expect(immediate.status == 201, "\(immediate.text)")
            #expect(immediate.object["client"]?["externalId"] as? String == "+12125552368")
            try await fixture.whatsapp.wait { fixture.whatsapp.sends.count == 1 }
            #expect(fixture.whatsapp.sends.first?.field("text")["body"] as? String == "Hello!")
            let clientId = try #require(immediate.object["client"]?["id"] as? String)
            try await fixture.whatsapp.wait {
                let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve/clients").list("clients")
                return clients.first { $0["id"] as? String == clientId }?["status"] as? String == "active"
            }

            let waiting = try await link(["type": "userActivity"], "+1 212 555 7777")
            let waitingId = try #require(waiting.object["client"]?["id"] as? String, "\(waiting.text)")
            try await Self.deliver(fixture, Self.message(fixture, from: "12125557777", ["type": "text", "text": ["body": "It's me"]]))
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve/clients").list("clients")
            #expect(clients.first { $0["id"] as? String == waitingId }?["status"] as? String == "active", "\(clients)")
        }
    }
}

import Crypto
import Foundation
import ParleyDomain
import Testing

/// Facebook Messenger as a channel: Meta's webhook in (signed with the app secret, its
/// subscription handshake answered with the integration's verify token), the Send API out,
/// against `FakeGraph`; events at a custom integration's webhook (`WebhookInbox`).
@Suite("Messenger")
struct MessengerTests {
    static let appSecret = "0a1b2c3d4e5f-app-secret"
    static let psid = "6543210987654321"

    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        /// The integration as CreateIntegration answered it, re-serialised so it is Sendable.
        let integrationJSON: Data
        var integration: [String: Any] { (try? JSONSerialization.jsonObject(with: integrationJSON)) as? [String: Any] ?? [:] }
        let graph: FakeGraph
        let inbox: WebhookInbox
        /// `messenger` or `instagram`.
        let type: String
        var webhook: String { "/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook" }
        var object: String { type == "messenger" ? "page" : "instagram" }
        /// The events the custom integration's webhook received, by type.
        var events: [String] { inbox.types("hook") }
    }

    static let triggers = [
        "conversation:message", "conversation:postback", "conversation:referral", "conversation:read",
        "conversation:message:delivery:channel", "conversation:message:delivery:user", "conversation:message:delivery:failure",
    ]

    /// A server with a `type` integration on `FakeGraph` and a custom integration whose webhook
    /// is a `WebhookInbox` receiver named `hook`.
    /// `live`: on a real port (for tests through ParleyClient).
    static func withPage(_ type: String = "messenger", live: Bool = false, _ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let graph = FakeGraph()
        try await graph.start()
        defer { graph.stop() }
        let inbox = WebhookInbox()
        try await inbox.start()
        defer { inbox.stop() }
        try await TestServer.run(messengerBaseURL: graph.url, channelPolicy: TestServer.fastChannelPolicy, live: live) { api in
            let appId = try await api.createApp("Channel 5")
            let key = try await api.createAppKey(appId: appId)
            let hook = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "custom", "webhooks": [["target": inbox.target("hook"), "triggers": triggers]],
            ])
            #expect(hook.status == 201, "\(hook.text)")
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations", ["type": type, "pageAccessToken": graph.token, "appId": "app-1", "appSecret": appSecret])
            #expect(created.status == 201, "\(created.text)")
            let integration = try #require(created.object["integration"])
            #expect(integration["pageAccessToken"] == nil && integration["appSecret"] == nil, "credentials are never shown")
            #expect((integration["webhookVerifyToken"] as? String)?.range(of: "^[0-9a-f]{32}$", options: .regularExpression) != nil)
            // The page was subscribed to the messaging webhooks Parley reads.
            let subscribed = try #require(graph.calls.last { $0.path == "\(FakeGraph.pageId)/subscribed_apps" })
            #expect(subscribed.body["subscribed_fields"] as? [String]
                == ["messages", "messaging_postbacks", "message_deliveries", "message_reads", "messaging_referrals"])
            try await test(Fixture(
                api: api.as_(key), appId: appId, integrationId: try #require(integration["id"] as? String),
                integrationJSON: try JSONSerialization.data(withJSONObject: integration), graph: graph,
                inbox: inbox, type: type))
        }
    }

    /// `sha256=` and the hex HMAC-SHA256 of the body under the app secret, as Meta signs.
    static func signature(_ body: String, secret: String = appSecret) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Meta posting `events` (each `messaging` item) in one entry for `account` (the integration's
    /// page, or Instagram account, by default), signed unless told otherwise.
    /// A person's message opens their 24-hour window at the fake, as it does at Meta.
    @discardableResult
    static func deliver(
        _ fixture: Fixture, _ events: [[String: Any]], object: String? = nil, account: String? = nil, signature: String?? = .none
    ) async throws -> APIResponse {
        let root: [String: Any] = [
            "object": object ?? fixture.object,
            "entry": [[
                "id": account ?? (fixture.object == "instagram" ? FakeGraph.businessId : FakeGraph.pageId), "time": 1_790_000_000_000,
                "messaging": events,
            ]],
        ]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
        for event in events where event["message"] != nil {
            if let sender = (event["sender"] as? [String: Any])?["id"] as? String { fixture.graph.userWrote(sender) }
        }
        let header = signature ?? Self.signature(body)
        return try await fixture.api.call(
            .post, fixture.webhook, body: body, contentType: "application/json", anonymous: true,
            headers: header.map { ["X-Hub-Signature-256": $0] } ?? [:])
    }

    /// One `messaging` item from `sender`.
    static func event(_ fields: [String: Any], from sender: String = psid) -> [String: Any] {
        ["sender": ["id": sender], "recipient": ["id": FakeGraph.pageId], "timestamp": 1_790_000_000_000].merging(fields) { $1 }
    }

    static func text(_ text: String, mid: String, from sender: String = psid) -> [String: Any] {
        event(["message": ["mid": mid, "text": text]], from: sender)
    }

    /// The conversation of Ann's first message.
    static func conversation(_ fixture: Fixture) async throws -> String {
        let received = try await deliver(fixture, [text("Hi", mid: "m_first")])
        let outcome = try #require((received.json["results"] as? [[String: Any]])?.first, "\(received.text)")
        return try #require(outcome["conversationId"] as? String)
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").list("messages")
    }

    /// Posts each content as a business message and waits for its Send API calls (`calls` each).
    static func send(_ fixture: Fixture, _ conversationId: String, _ posts: [([String: Any], Int)]) async throws -> [[FakeGraph.Call]] {
        var sent: [[FakeGraph.Call]] = []
        for (body, calls) in posts {
            let before = fixture.graph.sends.count
            let posted = try await fixture.api.post("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages", body.merging(["author": ["type": "business"]]) { $1 })
            #expect(posted.status == 201, "\(posted.text)")
            try await fixture.graph.wait { fixture.graph.sends.count >= before + calls }
            try await fixture.api.server.settle()
            sent.append(Array(fixture.graph.sends.dropFirst(before)))
        }
        return sent
    }

    /// Waits until the custom integration's webhook has received `count` events of `type` (a
    /// send's outcome is recorded after Meta answers, then delivered by the webhook dispatcher).
    static func waitForEvents(_ fixture: Fixture, _ type: String, count: Int) async throws {
        try await fixture.graph.wait { fixture.events.filter { $0 == type }.count >= count }
    }

    static func handshake(_ fixture: Fixture, token: String?, challenge: String? = "1158201444") async throws -> APIResponse {
        var query = ["hub.mode=subscribe"]
        if let token { query.append("hub.verify_token=\(token)") }
        if let challenge { query.append("hub.challenge=\(challenge)") }
        return try await fixture.api.call(.get, fixture.webhook + "?" + query.joined(separator: "&"), anonymous: true)
    }

    @Test("Creation checks the page token with Graph (pageId, pageName), subscribes the page, and answers Meta's handshake with the verify token")
    func creationAndHandshake() async throws {
        try await Self.withPage { fixture in
            #expect(fixture.integration["pageId"] as? Int == 1_234_567_890)
            #expect(fixture.integration["pageName"] as? String == "Channel 5")
            let token = try #require(fixture.integration["webhookVerifyToken"] as? String)
            let answered = try await Self.handshake(fixture, token: token)
            #expect(answered.status == 200 && answered.text == "1158201444", "\(answered.text)")
            #expect(try await Self.handshake(fixture, token: "not-the-token").status == 403)
            #expect(try await Self.handshake(fixture, token: nil).status == 403)
            #expect(try await Self.handshake(fixture, token: token, challenge: nil).status == 400)

            // A token Graph refuses is 400 with Graph's words, and nothing is stored.
            let refused = try await fixture.api.post(
                "/v2/apps/\(fixture.appId)/integrations", ["type": "messenger", "pageAccessToken": "EAAwrong", "appId": "a", "appSecret": "s"])
            #expect(refused.status == 400 && refused.errorTitle.contains("Meta refused the pageAccessToken"), "\(refused.text)")
            #expect(refused.errorTitle.contains("Invalid OAuth access token"))
            #expect(try await fixture.api.get("/v2/apps/\(fixture.appId)/integrations?filter[types]=messenger").list("integrations").count == 1)
            // A new token is checked the same way; a refused one changes nothing.
            let path = "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)"
            let subscriptions = fixture.graph.calls.filter { $0.path.hasSuffix("subscribed_apps") }.count
            #expect(try await fixture.api.patch(path, ["pageAccessToken": "EAAwrong"]).status == 400)
            #expect(try await fixture.api.patch(path, ["pageAccessToken": fixture.graph.token]).status == 200)
            #expect(fixture.graph.calls.filter { $0.path.hasSuffix("subscribed_apps") }.count == subscriptions + 1)
            // Messenger users write first: CreateClient cannot link one.
            let user = try await fixture.api.post("/v2/apps/\(fixture.appId)/users", ["externalId": "ann"])
            #expect(user.status == 201)
            let linked = try await fixture.api.post(
                "/v2/apps/\(fixture.appId)/users/ann/clients", ["matchCriteria": ["type": "messenger", "integrationId": fixture.integrationId]])
            #expect(linked.status == 400, "\(linked.text)")
        }
    }

    @Test("Graph out of reach at creation is 503")
    func graphUnreachable() async throws {
        try await TestServer.run(messengerBaseURL: "http://127.0.0.1:9/v21.0") { api in
            let appId = try await api.createApp()
            let created = try await api.post("/v2/apps/\(appId)/integrations", ["type": "messenger", "pageAccessToken": "EAA", "appId": "a", "appSecret": "s"])
            #expect(created.status == 503, "\(created.text)")
            // Without a token nothing is asked of Graph.
            let tokenless = try await api.post("/v2/apps/\(appId)/integrations", ["type": "messenger", "pageAccessToken": NSNull(), "appId": "a", "appSecret": "s"])
            #expect(tokenless.status == 201, "\(tokenless.text)")
        }
    }

    @Test("A person's message makes a user, a conversation and a client; Meta's retry is stored once; echoes are skipped; bad and missing signatures are 401")
    func inbound() async throws {
        try await Self.withPage { fixture in
            let hello = Self.text("Hello page", mid: "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P")
            #expect(try await Self.deliver(fixture, [hello], signature: .some(nil)).status == 401)
            #expect(try await Self.deliver(fixture, [hello], signature: Self.signature("{}")).status == 401)
            #expect(try await Self.deliver(fixture, [hello], signature: "sha256=zz").status == 401)
            let received = try await Self.deliver(fixture, [hello])
            #expect(received.status == 200, "\(received.text)")
            let outcome = try #require((received.json["results"] as? [[String: Any]])?.first)
            #expect(outcome["result"] as? String == "stored")
            let conversationId = try #require(outcome["conversationId"] as? String)
            let messages = try await Self.messages(fixture, conversationId)
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect((message["content"] as? [String: Any])?["text"] as? String == "Hello page")
            let source = try #require(message["source"] as? [String: Any])
            #expect(source["type"] as? String == "messenger" && source["integrationId"] as? String == fixture.integrationId)
            let userId = try #require((message["author"] as? [String: Any])?["userId"] as? String)
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.first?["type"] as? String == "messenger" && clients.first?["externalId"] as? String == Self.psid)
            // Meta delivers again what it thinks failed: stored once.
            let again = try await Self.deliver(fixture, [hello])
            #expect((again.json["results"] as? [[String: Any]])?.first?["result"] as? String == "duplicate")
            // The page's own messages come back as echoes: not the person's.
            var echo = Self.text("From the page", mid: "m_echo")
            echo["message"] = ["mid": "m_echo", "text": "From the page", "is_echo": true]
            #expect((try await Self.deliver(fixture, [echo]).json["results"] as? [[String: Any]])?.first?["result"] as? String == "ignored")
            // Another page of the same Meta app is another integration's: nothing of it is taken.
            let elsewhere = try await Self.deliver(fixture, [Self.text("Wrong page", mid: "m_other")], account: "999000999")
            #expect(elsewhere.status == 200 && (elsewhere.json["results"] as? [[String: Any]])?.isEmpty == true, "\(elsewhere.text)")
            // A quick reply's answer carries its payload.
            let answer = Self.event(["message": ["mid": "m_qr", "text": "Large", "quick_reply": ["payload": "SIZE_L"]]])
            _ = try await Self.deliver(fixture, [answer])
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.map { $0["text"] as? String } == ["Hello page", "Large"])
            #expect(contents.last?["payload"] as? String == "SIZE_L")
            // Another product's notification is not this integration's.
            #expect(try await Self.deliver(fixture, [hello], object: "whatsapp_business_account").json["result"] as? String == "ignored")
            try await fixture.api.server.settle()
            #expect(fixture.events.filter { $0 == "conversation:message" }.count == 2)
        }
    }

    @Test("Pictures and files people send are fetched into attachments of their messages")
    func inboundMedia() async throws {
        try await Self.withPage { fixture in
            let photo = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let photoURL = fixture.graph.addFile("10000_photo_n.jpg", photo, type: "image/jpeg")
            let pdfURL = fixture.graph.addFile("menu.pdf", Array("%PDF-1.4 menu".utf8), type: "application/pdf")
            let received = try await Self.deliver(fixture, [Self.event(["message": [
                "mid": "m_media", "text": "Look",
                "attachments": [["type": "image", "payload": ["url": photoURL]], ["type": "file", "payload": ["url": pdfURL]]],
            ]])])
            let conversationId = try #require((received.json["results"] as? [[String: Any]])?.first?["conversationId"] as? String, "\(received.text)")
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.count == 2)
            guard contents.count == 2 else { return }
            #expect(contents[0]["type"] as? String == "image" && contents[0]["text"] as? String == "Look" && contents[0]["mediaSize"] as? Int == 30_000)
            #expect(contents[1]["type"] as? String == "file" && contents[1]["mediaType"] as? String == "application/pdf")
            let mediaUrl = try #require(contents[0]["mediaUrl"] as? String)
            #expect(mediaUrl.hasPrefix("http://parley.test/"), "stored by Parley, not Meta's CDN link")
            let served = try await fixture.api.call(.get, AttachmentsTests.path(mediaUrl), anonymous: true)
            #expect(served.status == 200 && Array(served.body) == photo)
        }
    }

    @Test("Every content type's Send API body: text, buttons, quick replies, image, file, carousel, list, location, fallback; the override merged")
    func outbound() async throws {
        try await Self.withPage { fixture in
            let conversationId = try await Self.conversation(fixture)
            let sent = try await Self.send(fixture, conversationId, [
                (["content": ["type": "text", "text": "Hello Ann"]], 1),
                (["content": ["type": "text", "text": "Your order?", "actions": [
                    ["type": "link", "text": "Track", "uri": "https://shop.example.com/track"],
                    ["type": "postback", "text": "Cancel it", "payload": "CANCEL", "metadata": ["order": 42]],
                ]]], 1),
                (["content": ["type": "text", "text": "Size?", "actions": [
                    ["type": "reply", "text": "Small", "payload": "SIZE_S"], ["type": "reply", "text": "Large", "payload": "SIZE_L", "iconUrl": "https://cdn.example.com/l.png"],
                ]]], 1),
                (["content": ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"]], 2),
                (["content": ["type": "file", "mediaUrl": "https://cdn.example.com/invoice.pdf"]], 1),
                (["content": ["type": "carousel", "displaySettings": ["imageAspectRatio": "square"], "items": [
                    ["title": "Tent", "description": "Sleeps two", "mediaUrl": "https://cdn.example.com/tent.jpg", "actions": [
                        ["type": "link", "text": "Buy", "uri": "https://shop.example.com/tent", "default": true],
                        ["type": "postback", "text": "More", "payload": "MORE_TENT"],
                    ]],
                    ["title": "Stove", "actions": [["type": "postback", "text": "More", "payload": "MORE_STOVE"]]],
                ]]], 1),
                (["content": ["type": "list", "items": [
                    ["title": "Socks", "description": "Wool", "actions": [["type": "link", "text": "See", "uri": "https://shop.example.com/socks"]]],
                ]]], 1),
                (["content": ["type": "location", "coordinates": ["lat": 45.5, "long": -73.6]]], 1),
                (["content": ["type": "text", "text": "Tagged"], "override": ["messenger": ["payload": ["messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"]]]], 1),
            ])
            #expect(sent.map(\.count) == [1, 1, 1, 2, 1, 1, 1, 1, 1])
            guard sent.map(\.count) == [1, 1, 1, 2, 1, 1, 1, 1, 1] else { return }
            let all = sent.flatMap { $0 }
            #expect(all.allSatisfy { ($0.body["recipient"] as? [String: Any])?["id"] as? String == Self.psid })
            #expect(all.dropLast().allSatisfy { $0.body["messaging_type"] as? String == "RESPONSE" })
            #expect(sent[0][0].message["text"] as? String == "Hello Ann")

            let buttons = sent[1][0].attachmentPayload
            #expect(buttons["template_type"] as? String == "button" && buttons["text"] as? String == "Your order?")
            let buttonList = try #require(buttons["buttons"] as? [[String: Any]])
            #expect(buttonList.map { $0["type"] as? String } == ["web_url", "postback"])
            #expect(buttonList[0]["url"] as? String == "https://shop.example.com/track")
            let postback = try #require(buttonList[1]["payload"] as? String)
            #expect(postback.hasPrefix("p:"))

            let replies = try #require(sent[2][0].message["quick_replies"] as? [[String: Any]])
            #expect(replies.map { $0["title"] as? String } == ["Small", "Large"])
            #expect(replies.map { $0["payload"] as? String } == ["SIZE_S", "SIZE_L"])
            #expect(replies.allSatisfy { $0["content_type"] as? String == "text" } && replies[1]["image_url"] as? String == "https://cdn.example.com/l.png")
            #expect(sent[2][0].message["text"] as? String == "Size?")

            // The text goes first, then the picture.
            #expect(sent[3][0].message["text"] as? String == "Your box")
            #expect((sent[3][1].message["attachment"] as? [String: Any])?["type"] as? String == "image")
            #expect(sent[3][1].attachmentPayload["url"] as? String == "https://cdn.example.com/box.jpg")
            #expect((sent[4][0].message["attachment"] as? [String: Any])?["type"] as? String == "file")
            #expect(sent[4][0].attachmentPayload["url"] as? String == "https://cdn.example.com/invoice.pdf")

            let carousel = sent[5][0].attachmentPayload
            #expect(carousel["template_type"] as? String == "generic" && carousel["image_aspect_ratio"] as? String == "square")
            let elements = try #require(carousel["elements"] as? [[String: Any]])
            #expect(elements.map { $0["title"] as? String } == ["Tent", "Stove"])
            #expect(elements[0]["subtitle"] as? String == "Sleeps two" && elements[0]["image_url"] as? String == "https://cdn.example.com/tent.jpg")
            #expect((elements[0]["default_action"] as? [String: Any])?["url"] as? String == "https://shop.example.com/tent")
            #expect((elements[0]["buttons"] as? [[String: Any]])?.map { $0["type"] as? String } == ["web_url", "postback"])
            #expect((elements[1]["buttons"] as? [[String: Any]])?.first?["payload"] as? String == "MORE_STOVE")
            let list = sent[6][0].attachmentPayload
            #expect(list["template_type"] as? String == "generic")
            #expect((list["elements"] as? [[String: Any]])?.first?["title"] as? String == "Socks")
            #expect((sent[7][0].message["text"] as? String)?.hasPrefix("Location shared:\nhttps://maps.google.com/maps?q=45.5,-73.6") == true)
            #expect(sent[8][0].body["messaging_type"] as? String == "MESSAGE_TAG" && sent[8][0].body["tag"] as? String == "HUMAN_AGENT")
            #expect(sent[8][0].message["text"] as? String == "Tagged")
            // Each was accepted: the webhook heard of every one, by Meta's message id.
            try await Self.waitForEvents(fixture, "conversation:message:delivery:channel", count: 9)

            // Ann taps "Cancel it": the action's payload and metadata, as the business sent them.
            let tap = try await Self.deliver(fixture, [Self.event(["postback": ["mid": "m_tap", "title": "Cancel it", "payload": postback]])])
            #expect((tap.json["results"] as? [[String: Any]])?.first?["result"] as? String == "signalled", "\(tap.text)")
            // A forged one (another job) changes nothing.
            let forged = try await Self.deliver(fixture, [Self.event(["postback": ["title": "x", "payload": "p:\(String(repeating: "a", count: 24)):1"]])])
            #expect((forged.json["results"] as? [[String: Any]])?.first?["result"] as? String == "ignored")
            try await Self.waitForEvents(fixture, "conversation:postback", count: 1)
            try await fixture.api.server.settle()
            let postbacks = fixture.inbox.events("hook").filter { $0["type"] as? String == "conversation:postback" }
            let chosen = try #require((postbacks.first?["payload"] as? [String: Any])?["postback"] as? [String: Any])
            #expect(postbacks.count == 1 && chosen["payload"] as? String == "CANCEL" && (chosen["metadata"] as? [String: Any])?["order"] as? Int == 42)
        }
    }

    @Test("A whole message in the override replaces Parley's")
    func overrideMessage() async throws {
        try await Self.withPage { fixture in
            let conversationId = try await Self.conversation(fixture)
            let custom: [String: Any] = ["attachment": ["type": "template", "payload": [
                "template_type": "button", "text": "Rate us", "buttons": [["type": "postback", "title": "5 stars", "payload": "RATE_5"]],
            ]]]
            let sent = try await Self.send(fixture, conversationId, [
                (["content": ["type": "image", "mediaUrl": "https://cdn.example.com/a.jpg", "text": "two parts"], "override": ["messenger": ["payload": ["message": custom]]]], 1),
            ])
            #expect(sent.first?.count == 1)
            #expect(sent.first?.first?.attachmentPayload["text"] as? String == "Rate us")
            #expect(fixture.graph.sends.count == 1, "one body, not the text and the image")
        }
    }

    @Test("Outside the 24-hour window the send fails for good with a delivery failure naming the tag; with a tag it goes")
    func window() async throws {
        try await Self.withPage { fixture in
            let conversationId = try await Self.conversation(fixture)
            fixture.graph.userWrote(Self.psid, at: Date(timeIntervalSinceNow: -25 * 3600))
            _ = try await Self.send(fixture, conversationId, [(["content": ["type": "text", "text": "Late"]], 1)])
            try await Self.waitForEvents(fixture, "conversation:message:delivery:failure", count: 1)
            try await fixture.api.server.settle()
            #expect(fixture.graph.sends.count == 1, "a closed window is not retried")
            let failures = fixture.inbox.events("hook").filter { $0["type"] as? String == "conversation:message:delivery:failure" }
            let error = try #require((failures.first?["payload"] as? [String: Any])?["error"] as? [String: Any], "\(fixture.events)")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("24-hour window") && message.contains("override.messenger.payload") && message.contains("2018278"), "\(message)")
            _ = try await Self.send(fixture, conversationId, [
                (["content": ["type": "text", "text": "Tagged"], "override": ["messenger": ["payload": ["messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"]]]], 1),
            ])
            try await Self.waitForEvents(fixture, "conversation:message:delivery:channel", count: 1)
        }
    }

    @Test("Rate limits (613) are retried; deliveries, reads, referrals and menu postbacks reach the webhook")
    func signals() async throws {
        try await Self.withPage { fixture in
            let conversationId = try await Self.conversation(fixture)
            fixture.graph.fail((613, nil))
            _ = try await Self.send(fixture, conversationId, [(["content": ["type": "text", "text": "Soon"]], 2)])
            #expect(fixture.graph.sends.map { $0.message["text"] as? String } == ["Soon", "Soon"])
            // Meta's answer gave the message's id; its delivery receipt names it.
            try await Self.waitForEvents(fixture, "conversation:message:delivery:channel", count: 1)
            let channel = fixture.inbox.events("hook").first { $0["type"] as? String == "conversation:message:delivery:channel" }
            let external = try #require(((channel?["payload"] as? [String: Any])?["externalMessages"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(external.hasPrefix("m_"))
            let results = try await Self.deliver(fixture, [
                Self.event(["delivery": ["mids": [external], "watermark": 1_790_000_000_000]]),
                Self.event(["read": ["watermark": 1_790_000_000_000]]),
                Self.event(["referral": ["ref": "spring-ad", "source": "SHORTLINK", "type": "OPEN_THREAD"]]),
                Self.event(["postback": ["mid": "m_menu", "title": "Get Started", "payload": "GET_STARTED", "referral": ["ref": "welcome", "source": "SHORTLINK", "type": "OPEN_THREAD"]]]),
            ]).json["results"] as? [[String: Any]]
            #expect(results?.map { $0["result"] as? String } == ["signalled", "signalled", "signalled", "signalled"])
            try await Self.waitForEvents(fixture, "conversation:message:delivery:user", count: 1)
            try await Self.waitForEvents(fixture, "conversation:referral", count: 2)
            try await Self.waitForEvents(fixture, "conversation:postback", count: 1)
            try await Self.waitForEvents(fixture, "conversation:read", count: 1)
            let events = fixture.inbox.events("hook")
            #expect(events.contains { $0["type"] as? String == "conversation:message:delivery:user" })
            #expect(events.contains { $0["type"] as? String == "conversation:read" })
            let referrals = events.filter { $0["type"] as? String == "conversation:referral" }
                .compactMap { (($0["payload"] as? [String: Any])?["referral"] as? [String: Any])?["code"] as? String }
            #expect(Set(referrals) == ["spring-ad", "welcome"])
            let postback = events.first { $0["type"] as? String == "conversation:postback" }
            #expect(((postback?["payload"] as? [String: Any])?["postback"] as? [String: Any])?["payload"] as? String == "GET_STARTED")
            #expect(events.allSatisfy { $0.conversation["id"] as? String == conversationId || $0.conversation.isEmpty })
        }
    }
}

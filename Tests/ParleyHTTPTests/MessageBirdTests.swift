import Foundation
import ParleyDomain
import ParleyServer
import Synchronization
import Testing

/// MessageBird's Conversations API as a channel, end to end through the composition against
/// `FakeMessageBird`: signed webhooks in (messages, statuses), messages out through `/v1/send`,
/// links by phone number with every confirmation type, and what a custom integration's webhook
/// hears of it all.
@Suite("MessageBird")
struct MessageBirdTests {
    /// An app "Channel 5" with an app key, a messagebird integration on the fake's channel, a custom
    /// integration whose webhook is the inbox's `hook`, and a personal conversation with user "steve".
    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let webhookSecret: String
        let conversationId: String
        let bird: FakeMessageBird
        let inbox: WebhookInbox
        var clients: String { "/v2/apps/\(appId)/users/steve/clients" }
        var endpoint: String { "/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook" }
        var webhook: String { "\(endpoint)?secret=\(webhookSecret)" }
        func messagesPath(_ conversationId: String) -> String { "/v2/apps/\(appId)/conversations/\(conversationId)/messages" }
    }

    static let number = "+12125552368"
    static let stranger = "+14155550100"
    static let triggers = [
        "conversation:message", "conversation:read", "conversation:message:delivery:user", "conversation:message:delivery:failure",
        "conversation:message:delivery:channel",
    ]

    /// `originator` nil is the fake's Conversations channel; `MessageBirdSMSTests` give its SMS number.
    static func withMessageBird(
        databasePath: String = TestServer.temporaryDatabasePath(), originator: String? = nil, _ test: @escaping @Sendable (Fixture) async throws -> Void
    ) async throws {
        let bird = FakeMessageBird()
        try await bird.start()
        defer { bird.stop() }
        let inbox = WebhookInbox()
        try await inbox.start()
        defer { inbox.stop() }
        try await TestServer.run(databasePath: databasePath, messagebirdBaseURL: bird.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let appId = try await api.createApp("Channel 5")
            let key = try await api.createAppKey(appId: appId)
            let created = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "messagebird", "accessKey": bird.accessKey, "signingKey": bird.signingKey, "originator": originator ?? bird.channelId,
            ])
            #expect(created.status == 201, "\(created.text)")
            let integration = try #require(created.object["integration"])
            #expect(integration["accessKey"] == nil && integration["signingKey"] == nil, "secrets are never shown")
            #expect(integration["originator"] as? String == originator ?? bird.channelId)
            let integrationId = try #require(integration["id"] as? String)
            let secret = try #require(integration["webhookSecret"] as? String)
            #expect(secret.count == 32 && secret.allSatisfy(\.isHexDigit))
            let custom = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "custom", "webhooks": [["target": inbox.target("hook"), "triggers": Self.triggers]],
            ])
            #expect(custom.status == 201, "\(custom.text)")
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            try await test(Fixture(
                api: api.as_(key), appId: appId, integrationId: integrationId, webhookSecret: secret, conversationId: conversationId, bird: bird,
                inbox: inbox))
        }
    }

    /// MessageBird calling Parley: the event as JSON, signed for the public URL
    /// (`PARLEY_PUBLIC_URL` is `http://parley.test` in tests) with the signing key, unless told otherwise.
    static func deliver(
        _ fixture: Fixture, _ event: [String: Any], path: String? = nil, signedURL: String? = nil, signingKey: String? = nil,
        issued: Date = Date(), claims: [String: Any?] = [:], signature: String?? = .none, body override: Data? = nil
    ) async throws -> APIResponse {
        let path = path ?? fixture.webhook
        let body = try JSONSerialization.data(withJSONObject: event)
        let header = signature ?? FakeMessageBird.signature(
            url: signedURL ?? "http://parley.test\(path)", body: body, signingKey: signingKey ?? fixture.bird.signingKey, issued: issued, claims: claims)
        return try await fixture.api.call(
            .post, path, body: String(decoding: override ?? body, as: UTF8.self), contentType: "application/json", anonymous: true,
            headers: header.map { ["MessageBird-Signature-JWT": $0] } ?? [:])
    }

    static func text(_ fixture: Fixture, from: String = stranger, _ text: String, id: String = UUID().uuidString.lowercased()) -> [String: Any] {
        fixture.bird.received(from: from, content: ["text": text], id: id)
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get(fixture.messagesPath(conversationId)).list("messages")
    }

    static func clientStatus(_ fixture: Fixture, _ id: String) async throws -> String? {
        try await fixture.api.get(fixture.clients).list("clients").first { $0["id"] as? String == id }?["status"] as? String
    }

    /// CreateClient for steve on `number` with `confirmation`.
    static func link(_ fixture: Fixture, confirmation: String, message: Bool = true, phoneNumber: String = "+1 212-555-2368") -> [String: Any] {
        var confirmationBody: [String: Any] = ["type": confirmation]
        if message { confirmationBody["message"] = ["author": ["type": "business"], "content": ["type": "text", "text": "Hello!"]] }
        return [
            "matchCriteria": ["type": "messagebird", "integrationId": fixture.integrationId, "primary": true, "phoneNumber": phoneNumber],
            "confirmation": confirmationBody,
            "target": ["conversationId": fixture.conversationId],
        ]
    }

    @Test("Missing, forged, expired, re-targeted and altered signatures are 401, as is a URL without the webhookSecret; nothing refused is stored")
    func signatures() async throws {
        let path = TestServer.temporaryDatabasePath()
        let integration = Mutex<String?>(nil)
        try await Self.withMessageBird(databasePath: path) { fixture in
            integration.withLock { $0 = fixture.integrationId }
            let hello = Self.text(fixture, "Hi")
            let missing = try await Self.deliver(fixture, hello, signature: .some(nil))
            #expect(missing.status == 401 && missing.errorTitle.contains("MessageBird-Signature-JWT"), "\(missing.text)")
            #expect(try await Self.deliver(fixture, hello, signature: "not.a.jwt").status == 401)
            #expect(try await Self.deliver(fixture, hello, signingKey: "another-signing-key").status == 401)
            let expired = try await Self.deliver(fixture, hello, issued: Date().addingTimeInterval(-3600))
            #expect(expired.status == 401 && expired.errorTitle.contains("expired"), "\(expired.text)")
            #expect(try await Self.deliver(fixture, hello, issued: Date().addingTimeInterval(3600)).status == 401)
            #expect(try await Self.deliver(fixture, hello, claims: ["iss": "Someone"]).status == 401)
            // Signed for another URL: without the public base, another secret, another endpoint.
            let retargeted = try await Self.deliver(fixture, hello, signedURL: fixture.webhook)
            #expect(retargeted.status == 401 && retargeted.errorTitle.contains("URL"), "\(retargeted.text)")
            #expect(try await Self.deliver(fixture, hello, signedURL: "http://parley.test\(fixture.endpoint)?secret=0").status == 401)
            // A signature replayed over another body.
            let other = try JSONSerialization.data(withJSONObject: Self.text(fixture, "Send me everything"))
            #expect(try await Self.deliver(fixture, hello, body: other).status == 401)
            // Correctly signed, but the URL lacks the integration's secret, or has another.
            let secretless = try await Self.deliver(fixture, hello, path: fixture.endpoint)
            #expect(secretless.status == 401 && secretless.errorTitle.contains("webhookSecret"), "\(secretless.text)")
            #expect(try await Self.deliver(fixture, hello, path: "\(fixture.endpoint)?secret=\(String(repeating: "0", count: 32))").status == 401)
            // A body the signature does not cover is refused; a signed one that is no JSON event is the sender's mistake.
            let unsigned = try await Self.deliver(fixture, hello, claims: ["payload_hash": nil])
            #expect(unsigned.status == 401 && unsigned.errorTitle.contains("body"), "\(unsigned.text)")
            let garbage = Data("no json".utf8)
            let signedGarbage = FakeMessageBird.signature(url: "http://parley.test\(fixture.webhook)", body: garbage, signingKey: fixture.bird.signingKey)
            #expect(try await Self.deliver(fixture, [:], signature: signedGarbage, body: garbage).status == 400)
            #expect(try await fixture.api.call(.post, "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/other", json: [:], anonymous: true).status == 404)
            // The same call correctly signed is taken: the refusals were for the signature alone.
            let taken = try await Self.deliver(fixture, Self.text(fixture, from: "+14155550199", "Hi"))
            #expect(taken.status == 200 && taken.json["result"] as? String == "stored", "\(taken.text)")
        }
        let integrationId = try #require(integration.withLock { $0 }.flatMap(ResourceID.init))
        try await TwilioTests.inspect(path) { (store: any ParleyStore) async throws in
            #expect(try await store.clients(integrationId: integrationId, externalId: Self.stranger).isEmpty)
            #expect(try await store.clients(integrationId: integrationId, externalId: "+14155550199").count == 1)
        }
    }

    @Test("A stranger's message makes a user (named by the contact), a conversation and a client; a retry is stored once; media become attachments; a location a map link; other channels and sent messages are ignored")
    func strangerAndMedia() async throws {
        try await Self.withMessageBird { fixture in
            let hello = Self.text(fixture, "Hello there", id: "aaaa0001")
            let received = try await Self.deliver(fixture, hello)
            #expect(received.status == 200 && received.json["result"] as? String == "stored", "\(received.text)")
            let conversationId = try #require(received.json["conversationId"] as? String)
            // MessageBird retries a webhook it thinks failed: stored once.
            #expect(try await Self.deliver(fixture, hello).json["result"] as? String == "duplicate")
            let first = try #require(try await Self.messages(fixture, conversationId).first)
            let author = try #require(first["author"] as? [String: Any])
            #expect(author["displayName"] as? String == "Ann Lee" && (first["source"] as? [String: Any])?["type"] as? String == "messagebird")
            let userId = try #require(author["userId"] as? String)
            let user = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)").object["user"]
            #expect((user?["profile"] as? [String: Any])?["givenName"] as? String == "Ann")
            #expect((user?["profile"] as? [String: Any])?["surname"] as? String == "Lee")
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.count == 1 && clients.first?["type"] as? String == "messagebird" && clients.first?["externalId"] as? String == Self.stranger)

            // A picture MessageBird keeps (behind the access key), a file it no longer has, a location.
            let photo = (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let image = fixture.bird.received(from: Self.stranger, type: "image", content: ["image": ["url": fixture.bird.addMedia(photo, type: "image/jpeg"), "caption": "Look"]])
            #expect(try await Self.deliver(fixture, image).json["conversationId"] as? String == conversationId)
            let gone = "\(fixture.bird.url)/media/gone.pdf"
            _ = try await Self.deliver(fixture, fixture.bird.received(from: Self.stranger, type: "file", content: ["file": ["url": gone]]))
            // MessageBird writes MSISDNs without the +: the same sender.
            let location = fixture.bird.received(from: "14155550100", type: "location", content: ["location": ["latitude": 45.5, "longitude": -73.25]])
            #expect(try await Self.deliver(fixture, location).json["conversationId"] as? String == conversationId)
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.count == 4, "\(contents)")
            guard contents.count == 4 else { return }
            #expect(contents[1]["type"] as? String == "image" && contents[1]["text"] as? String == "Look" && contents[1]["mediaSize"] as? Int == 4000)
            #expect(contents[1]["mediaType"] as? String == "image/jpeg")
            let mediaUrl = try #require(contents[1]["mediaUrl"] as? String)
            #expect(mediaUrl.hasPrefix("http://parley.test/attachments/"), "\(mediaUrl)")
            let served = try await fixture.api.call(.get, AttachmentsTests.path(mediaUrl), anonymous: true)
            #expect(served.status == 200 && Array(served.body) == photo)
            // Media MessageBird could not give keep its URL: the message is not lost.
            #expect(contents[2]["type"] as? String == "file" && contents[2]["mediaUrl"] as? String == gone, "\(contents[2])")
            #expect(contents[3]["text"] as? String == "Location shared:\nhttps://maps.google.com/maps?q=45.5,-73.25")

            // Another channel's message, a message the business sent, a conversation event: ignored.
            var elsewhere = Self.text(fixture, "Not for you")
            elsewhere["message"] = (elsewhere["message"] as? [String: Any])?.merging(["channelId": "0000", "to": "+15550009999"]) { $1 }
            #expect(try await Self.deliver(fixture, elsewhere).json["result"] as? String == "ignored")
            var sent = Self.text(fixture, from: fixture.bird.channelId, "From the dashboard")
            sent["message"] = (sent["message"] as? [String: Any])?.merging(["direction": "sent", "status": "accepted", "to": Self.stranger]) { $1 }
            #expect(try await Self.deliver(fixture, sent).json["result"] as? String == "ignored")
            #expect(try await Self.deliver(fixture, ["type": "conversation.updated", "conversation": ["id": "c", "status": "archived"]]).json["result"] as? String == "ignored")
            // A received message from no phone number is the sender's mistake.
            let bad = try await Self.deliver(fixture, Self.text(fixture, from: "nobody", "Hi"))
            #expect(bad.status == 400, "\(bad.text)")
            #expect(try await Self.messages(fixture, conversationId).count == 4)
        }
    }

    @Test("Business messages go out by /v1/send: text, actions written out, image and file with captions, location, carousel and list as text; each with a reportUrl")
    func outbound() async throws {
        try await Self.withMessageBird { fixture in
            let conversationId = try #require(try await Self.deliver(fixture, Self.text(fixture, "Hi")).json["conversationId"] as? String)
            let contents: [[String: Any]] = [
                ["type": "text", "text": "Plain"],
                ["type": "text", "text": "Your order?", "actions": [
                    ["type": "link", "text": "Track", "uri": "https://shop.example.com/track"],
                    ["type": "postback", "text": "Cancel it", "payload": "CANCEL"],
                ]],
                ["type": "text", "text": "Size?", "actions": [["type": "reply", "text": "Small", "payload": "S"], ["type": "reply", "text": "Large", "payload": "L"]]],
                ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"],
                ["type": "file", "mediaUrl": "https://cdn.example.com/invoice.pdf"],
                ["type": "location", "coordinates": ["lat": 45.5, "long": -73.25]],
                ["type": "carousel", "items": [
                    ["title": "Tacos", "description": "Beef", "actions": [["type": "link", "text": "Order", "uri": "https://shop.example.com/tacos"]]],
                    ["title": "Ramen", "actions": [["type": "postback", "text": "Pick", "payload": "ramen"]]],
                ]],
                ["type": "list", "items": [
                    ["title": "Tacos", "description": "Beef", "actions": [["type": "link", "text": "Order", "uri": "https://shop.example.com/tacos"]]],
                    ["title": "Ramen", "actions": [["type": "postback", "text": "Pick", "payload": "ramen"]]],
                ]],
            ]
            for (index, content) in contents.enumerated() {
                let posted = try await fixture.api.post(fixture.messagesPath(conversationId), ["author": ["type": "business"], "content": content])
                #expect(posted.status == 201, "\(posted.text)")
                try await fixture.bird.wait { fixture.bird.sent.count == index + 1 }
            }
            let sent = fixture.bird.sent
            let report = "http://parley.test\(fixture.webhook)"
            #expect(sent.allSatisfy { $0.to == Self.stranger && $0.body["from"] as? String == fixture.bird.channelId && $0.reportUrl == report })
            #expect(sent.map(\.type) == ["text", "text", "text", "image", "file", "location", "text", "text"])
            #expect(sent[0].text == "Plain")
            #expect(sent[1].text == "Your order?\n\nTrack: https://shop.example.com/track\nCancel it")
            #expect(sent[2].text == "Size?\n\nSmall\nLarge")
            #expect(sent[3].content["image"] as? [String: String] == ["url": "https://cdn.example.com/box.jpg", "caption": "Your box"])
            #expect(sent[4].content["file"] as? [String: String] == ["url": "https://cdn.example.com/invoice.pdf"])
            let location = try #require(sent[5].content["location"] as? [String: Any])
            #expect(location["latitude"] as? Double == 45.5 && location["longitude"] as? Double == -73.25)
            for index in [6, 7] {
                let text = try #require(sent[index].text)
                #expect(text.contains("1. Tacos\nBeef\nOrder: https://shop.example.com/tacos") && text.contains("2. Ramen"), "\(text)")
            }

            // A refusal (4xx but 429) is final: one request, no retry; a 5xx is retried.
            fixture.bird.answer(422)
            let before = fixture.bird.requests
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Refused").status == 201)
            try await fixture.bird.wait { fixture.bird.requests == before + 1 }
            fixture.bird.answer(503)
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Retried").status == 201)
            try await fixture.bird.wait { fixture.bird.sent.last?.text == "Retried" }
            try await fixture.api.server.settle()
            #expect(fixture.bird.requests == before + 3, "one refused, one failed and retried")
            #expect(!fixture.bird.sent.contains { $0.text == "Refused" })
        }
    }

    @Test("Statuses reach a custom integration's webhook: delivered once, failed with MessageBird's error, read; a reply typed on the channel too")
    func receipts() async throws {
        try await Self.withMessageBird { fixture in
            let reply = try await Self.deliver(fixture, Self.text(fixture, "Where is my order?"))
            let conversationId = try #require(reply.json["conversationId"] as? String)
            try await fixture.bird.wait { fixture.inbox.events("hook").contains { $0.messageText == "Where is my order?" } }
            let heard = try #require(fixture.inbox.events("hook").first { $0.messageText == "Where is my order?" })
            let source = ((heard["payload"] as? [String: Any])?["message"] as? [String: Any])?["source"] as? [String: Any]
            #expect(source?["type"] as? String == "messagebird" && source?["integrationId"] as? String == fixture.integrationId)

            for text in ["Shipped", "Tracking number"] {
                #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, text).status == 201)
                try await fixture.bird.wait { fixture.bird.sent.contains { $0.text == text } }
            }
            try await fixture.api.server.settle()
            let shipped = try #require(fixture.bird.sent.first { $0.text == "Shipped" })
            let tracking = try #require(fixture.bird.sent.first { $0.text == "Tracking number" })
            for status in ["sent", "delivered", "delivered"] {
                let answer = try await Self.deliver(fixture, fixture.bird.status(shipped, status), path: fixture.webhook)
                #expect(answer.status == 200, "\(answer.text)")
            }
            let failed = try await Self.deliver(fixture, fixture.bird.status(tracking, "failed", error: ["code": 470, "description": "Outside the 24 hour window"]))
            #expect(failed.json["result"] as? String == "recorded", "\(failed.text)")
            let read = try await Self.deliver(fixture, fixture.bird.status(shipped, "read"))
            #expect(read.json["result"] as? String == "signalled", "\(read.text)")
            // A status for a message Parley never sent changes nothing.
            var unknown = fixture.bird.status(shipped, "delivered")
            unknown["message"] = (unknown["message"] as? [String: Any])?.merging(["id": "ffffffffffffffffffffffffffffffff"]) { $1 }
            #expect(try await Self.deliver(fixture, unknown).json["result"] as? String == "ignored")

            try await fixture.bird.wait {
                let types = fixture.inbox.types("hook")
                return types.contains("conversation:message:delivery:failure") && types.contains("conversation:read")
                    && types.contains("conversation:message:delivery:user")
            }
            try await fixture.api.server.settle()
            let events = fixture.inbox.events("hook")
            #expect(events.filter { $0["type"] as? String == "conversation:message:delivery:user" }.count == 1)
            let failure = try #require(events.first { $0["type"] as? String == "conversation:message:delivery:failure" })
            let error = (failure["payload"] as? [String: Any])?["error"] as? [String: Any]
            #expect((error?["message"] as? String)?.contains("470") == true, "\(failure)")
            let readEvent = try #require(events.first { $0["type"] as? String == "conversation:read" })
            #expect(readEvent.conversation["id"] as? String == conversationId)
            let accepted = try #require(events.first { $0["type"] as? String == "conversation:message:delivery:channel" })
            let external = (accepted["payload"] as? [String: Any])?["externalMessages"] as? [[String: Any]]
            #expect(external?.first?["id"] as? String == shipped.id || external?.first?["id"] as? String == tracking.id, "\(accepted)")
        }
    }

    @Test("CreateClient links a phone number: immediate sends the confirmation and activates; userActivity waits for the number to write; prompt takes yes and no")
    func linking() async throws {
        try await Self.withMessageBird { fixture in
            let invalid = try await fixture.api.post(fixture.clients, Self.link(fixture, confirmation: "immediate", phoneNumber: "212 555 2368"))
            #expect(invalid.status == 400 && invalid.errorTitle.contains("phoneNumber"), "\(invalid.text)")

            let immediate = try await fixture.api.post(fixture.clients, Self.link(fixture, confirmation: "immediate"))
            #expect(immediate.status == 201, "\(immediate.text)")
            let client = try #require(immediate.object["client"])
            let id = try #require(client["id"] as? String)
            #expect(client["type"] as? String == "messagebird" && client["status"] as? String == "pending" && client["externalId"] as? String == Self.number)
            try await fixture.bird.wait { try await Self.clientStatus(fixture, id) == "active" }
            let confirmation = try #require(fixture.bird.sent.first)
            #expect(confirmation.to == Self.number && confirmation.text == "Hello!")
            // A link's confirmation is no conversation message: no report is asked for.
            #expect(confirmation.reportUrl == nil)
            _ = try await fixture.api.delete("\(fixture.clients)/\(id)")

            let waiting = try await fixture.api.post(fixture.clients, Self.link(fixture, confirmation: "userActivity"))
            let waitingId = try #require(waiting.object["client"]?["id"] as? String)
            try await fixture.bird.wait { fixture.bird.sent.count == 2 }
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, waitingId) == "pending")
            let itsMe = try await Self.deliver(fixture, Self.text(fixture, from: Self.number, "It's me"))
            #expect(itsMe.json["conversationId"] as? String == fixture.conversationId, "\(itsMe.text)")
            #expect(try await Self.clientStatus(fixture, waitingId) == "active")
            _ = try await fixture.api.delete("\(fixture.clients)/\(waitingId)")

            let prompt = try await fixture.api.post(fixture.clients, Self.link(fixture, confirmation: "prompt"))
            let promptId = try #require(prompt.object["client"]?["id"] as? String)
            try await fixture.bird.wait { fixture.bird.sent.count == 3 }
            let before = try await Self.messages(fixture, fixture.conversationId).count
            let yes = try await Self.deliver(fixture, Self.text(fixture, from: Self.number, "yes"))
            #expect(yes.json["result"] as? String == "linkConfirmed", "\(yes.text)")
            #expect(try await Self.clientStatus(fixture, promptId) == "active")
            #expect(try await Self.messages(fixture, fixture.conversationId).count == before)
            _ = try await fixture.api.delete("\(fixture.clients)/\(promptId)")

            let declined = try await fixture.api.post(fixture.clients, Self.link(fixture, confirmation: "prompt"))
            let declinedId = try #require(declined.object["client"]?["id"] as? String)
            try await fixture.bird.wait { fixture.bird.sent.count == 4 }
            #expect(try await Self.deliver(fixture, Self.text(fixture, from: Self.number, "No")).json["result"] as? String == "linkCancelled")
            #expect(try await Self.clientStatus(fixture, declinedId) == nil)
        }
    }
}

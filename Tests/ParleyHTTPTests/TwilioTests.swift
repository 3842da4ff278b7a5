import Foundation
import ParleyDomain
import Synchronization
import ParleyServer
import Testing

/// SMS and MMS through Twilio, end to end through the composition: links with every
/// confirmation type, messages out through a fake Twilio, signed webhooks in, delivery statuses
/// and STOP/START.
@Suite("Twilio SMS and MMS")
struct TwilioTests {
    /// An app "Channel 5" with an app key, a twilio integration on `twilio`'s account, and a
    /// personal conversation with user "steve".
    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let conversationId: String
        let twilio: FakeTwilio
        var clients: String { "/v2/apps/\(appId)/users/steve/clients" }
        func inbound(_ endpoint: String) -> String { "/v2/apps/\(appId)/integrations/\(integrationId)/inbound/\(endpoint)" }
    }

    static let number = "+12125552368"

    static func fixture(_ api: APIClient, twilio: FakeTwilio, messagingService: Bool = false) async throws -> Fixture {
        let appId = try await api.createApp("Channel 5")
        let key = try await api.createAppKey(appId: appId)
        var body: [String: Any] = ["type": "twilio", "accountSid": twilio.accountSid, "authToken": twilio.authToken]
        if messagingService { body["messagingServiceSid"] = "MG9752274e9e519418a7406176694466fa" } else { body["phoneNumberSid"] = twilio.phoneNumberSid }
        let integration = try await api.post("/v2/apps/\(appId)/integrations", body)
        #expect(integration.object["integration"]?["authToken"] == nil, "\(integration.text)")
        let integrationId = try #require(integration.object["integration"]?["id"] as? String)
        let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
        return Fixture(api: api.as_(key), appId: appId, integrationId: integrationId, conversationId: conversationId, twilio: twilio)
    }

    /// The seed request of CreateClient with `twilio` in place of `mailgun`.
    static func seedBody(_ fixture: Fixture, confirmation: String = "immediate", message: Bool = true) -> [String: Any] {
        var confirmationBody: [String: Any] = ["type": confirmation]
        if message {
            confirmationBody["message"] = [
                "author": ["type": "business", "displayName": "Steve", "avatarUrl": "https://www.gravatar.com/image.jpg"],
                "content": ["type": "text", "text": "Hello!"], "metadata": ["lang": "en-ca"],
            ]
        }
        return [
            "matchCriteria": ["type": "twilio", "integrationId": fixture.integrationId, "primary": true, "phoneNumber": "+1 212-555-2368"],
            "confirmation": confirmationBody,
            "target": ["conversationId": fixture.conversationId],
        ]
    }

    static func withTwilio(
        messagingService: Bool = false, databasePath: String = TestServer.temporaryDatabasePath(),
        _ test: @escaping @Sendable (Fixture) async throws -> Void
    ) async throws {
        let twilio = FakeTwilio()
        try await twilio.start()
        defer { twilio.stop() }
        try await TestServer.run(databasePath: databasePath, twilioBaseURL: twilio.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            try await test(try await fixture(api, twilio: twilio, messagingService: messagingService))
        }
    }

    /// Runs with a webhook that never answers (a closed port) and hands back the events queued
    /// for it, in commit order.
    static func withEvents(_ triggers: [String], _ test: @escaping @Sendable (Fixture) async throws -> Void) async throws -> [RecordedEvent] {
        let path = TestServer.temporaryDatabasePath()
        try await withTwilio(databasePath: path) { fixture in
            let custom = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "custom", "webhooks": [["target": "http://127.0.0.1:9/hook", "triggers": triggers]],
            ])
            #expect(custom.status == 201, "\(custom.text)")
            try await test(fixture)
        }
        return try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in
            try await services.store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 100, limit: 10).first?.events ?? []
        }
    }

    /// Twilio calling Parley: the fields form-encoded and signed over the public URL
    /// (`PARLEY_PUBLIC_URL` is `http://parley.test` in tests) with `token` (the integration's by default).
    @discardableResult
    static func call(
        _ fixture: Fixture, _ endpoint: String, query: String = "", _ fields: [(String, String)], token: String? = nil,
        signature: String? = nil, signedURL: String? = nil
    ) async throws -> APIResponse {
        let path = fixture.inbound(endpoint) + query
        let header = signature ?? FakeTwilio.signature(
            url: signedURL ?? "http://parley.test\(path)", fields: fields, authToken: token ?? fixture.twilio.authToken)
        return try await fixture.api.call(
            .post, path, body: InboundMailTests.encode(fields), contentType: "application/x-www-form-urlencoded", anonymous: true,
            headers: header.isEmpty ? [:] : ["X-Twilio-Signature": header])
    }

    /// An incoming SMS (or MMS with `media`) from `from`, as Twilio posts it.
    static func sms(
        _ fixture: Fixture, from: String = number, _ body: String, sid: String = "SM" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
        media: [(String, String)] = [], extra: [(String, String)] = []
    ) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("ToCountry", "US"), ("SmsMessageSid", sid), ("NumMedia", "\(media.count)"), ("SmsSid", sid), ("SmsStatus", "received"),
            ("Body", body), ("To", fixture.twilio.phoneNumber), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", fixture.twilio.accountSid),
            ("From", from), ("FromCity", "NEW YORK"), ("ApiVersion", "2010-04-01"),
        ]
        for (index, item) in media.enumerated() {
            fields.append(("MediaUrl\(index)", item.0))
            fields.append(("MediaContentType\(index)", item.1))
        }
        return fields + extra
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").list("messages")
    }

    static func clientStatus(_ fixture: Fixture, _ id: String) async throws -> String? {
        try await fixture.api.get(fixture.clients).list("clients").first { $0["id"] as? String == id }?["status"] as? String
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let object)? = value { return object }
        return [:]
    }

    @Test("The seed request on a phone number: 201 pending, one SMS from the integration's number, then the client is active")
    func seed() async throws {
        try await Self.withTwilio { fixture in
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            #expect(created.status == 201, "\(created.text)")
            let client = try #require(created.object["client"])
            let id = try #require(client["id"] as? String)
            #expect(client["type"] as? String == "twilio" && client["status"] as? String == "pending")
            #expect(client["externalId"] as? String == Self.number && client["integrationId"] as? String == fixture.integrationId)

            try await fixture.twilio.wait { try await Self.clientStatus(fixture, id) == "active" }
            let sms = try #require(fixture.twilio.messages.first)
            #expect(fixture.twilio.messages.count == 1)
            #expect(sms["To"] == Self.number && sms["From"] == fixture.twilio.phoneNumber && sms["Body"] == "Hello!")
            // A link confirmation is no conversation message: no status callback is asked for.
            #expect(sms["StatusCallback"] == nil && sms["MediaUrl"] == nil && sms["MessagingServiceSid"] == nil)
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/participants")
            let associations = try #require(participants.list("participants").first?["clientAssociations"] as? [[String: Any]])
            #expect(associations.first?["clientId"] as? String == id && associations.first?["type"] as? String == "twilio")

            // A business message goes to the number; the number's lookup is remembered.
            let posted = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Your order shipped")
            #expect(posted.status == 201)
            try await fixture.twilio.wait { fixture.twilio.messages.count == 2 }
            let second = fixture.twilio.messages[1]
            #expect(second["Body"] == "Your order shipped" && second["To"] == Self.number)
            let callback = try #require(second["StatusCallback"])
            #expect(callback.hasPrefix("http://parley.test\(fixture.inbound("status"))?job="), "\(callback)")
            #expect(fixture.twilio.numberLookups == 1)
            try await fixture.api.server.settle()
            #expect(fixture.twilio.requests == 2)
        }
    }

    @Test("A messaging service sends as MessagingServiceSid; images and files go as MediaUrl (MMS); carousels as their fallback text")
    func messagingServiceAndMedia() async throws {
        try await Self.withTwilio(messagingService: true) { fixture in
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, message: false))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, id) == "active")
            #expect(fixture.twilio.messages.isEmpty)
            let path = "/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages"
            for content: [String: Any] in [
                ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"],
                ["type": "file", "mediaUrl": "https://cdn.example.com/invoice.pdf"],
                ["type": "carousel", "items": [
                    ["title": "Tacos", "description": "Beef", "actions": [["type": "link", "text": "Order", "uri": "https://shop.example.com/tacos"]]],
                    ["title": "Ramen", "actions": [["type": "postback", "text": "Pick", "payload": "ramen"]]],
                ]],
            ] {
                let posted = try await fixture.api.post(path, ["author": ["type": "business"], "content": content])
                #expect(posted.status == 201, "\(posted.text)")
            }
            try await fixture.twilio.wait { fixture.twilio.messages.count == 3 }
            // Sent concurrently: found by content, not by order.
            let sent = fixture.twilio.messages
            #expect(sent.allSatisfy { $0["MessagingServiceSid"] == "MG9752274e9e519418a7406176694466fa" && $0["From"] == nil })
            let image = try #require(sent.first { $0["MediaUrl"] == "https://cdn.example.com/box.jpg" })
            #expect(image["Body"] == "Your box")
            let file = try #require(sent.first { $0["MediaUrl"] == "https://cdn.example.com/invoice.pdf" })
            #expect(file["Body"] == nil)
            let carousel = try #require(sent.first { $0["MediaUrl"] == nil }?["Body"])
            #expect(carousel.contains("Tacos") && carousel.contains("https://shop.example.com/tacos"), "\(carousel)")
            #expect(fixture.twilio.numberLookups == 0)
        }
    }

    @Test("Parley's attachments go as MediaUrl within Twilio's limits for their type; larger ones as a link in the Body")
    func attachmentsOverMMS() async throws {
        try await Self.withTwilio(messagingService: true) { fixture in
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, message: false))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, id) == "active")
            func upload(_ size: Int, _ name: String, _ type: String) async throws -> String {
                let uploaded = try await AttachmentsTests.upload(
                    fixture.api, appId: fixture.appId, file: [UInt8](repeating: 1, count: size), fileName: name, type: type)
                return try #require(uploaded.object["attachment"]?["mediaUrl"] as? String, "\(uploaded.text)")
            }
            // JPEG, PNG and GIF up to 5 MB (TwilioConnectorTests, without uploading megabytes); other types up to 500 kB.
            let photo = try await upload(600 * 1024, "photo.jpg", "image/jpeg")
            let bigPhoto = try await upload(600 * 1024, "big.webp", "image/webp")
            let smallPDF = try await upload(500 * 1024, "small.pdf", "application/pdf")
            let bigPDF = try await upload(500 * 1024 + 1, "big.pdf", "application/pdf")
            let path = "/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages"
            for (index, url) in [photo, bigPhoto, smallPDF, bigPDF].enumerated() {
                let posted = try await fixture.api.post(
                    path, ["author": ["type": "business"], "content": ["type": index < 2 ? "image" : "file", "mediaUrl": url, "text": "n\(index)"]])
                #expect(posted.status == 201, "\(posted.text)")
            }
            try await fixture.twilio.wait { fixture.twilio.messages.count == 4 }
            let sent = fixture.twilio.messages
            for (index, url) in [photo, smallPDF].enumerated() {
                let sms = try #require(sent.first { $0["MediaUrl"] == url }, "\(index)")
                #expect(sms["Body"] == "n\(index * 2)")
            }
            for (index, url) in [bigPhoto, bigPDF].enumerated() {
                let sms = try #require(sent.first { $0["Body"] == "n\(index * 2 + 1)\n\n\(url)" }, "\(sent.map(\.fields))")
                #expect(sms["MediaUrl"] == nil)
            }

        }
    }

    @Test("userActivity: pending until the number writes, then active with the SMS in the target conversation; prompt: YES confirms without storing it, NO cancels")
    func userConfirmations() async throws {
        try await Self.withTwilio { fixture in
            let waiting = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, confirmation: "userActivity"))
            let id = try #require(waiting.object["client"]?["id"] as? String)
            try await fixture.twilio.wait { fixture.twilio.messages.count == 1 }
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, id) == "pending")
            let reply = try await Self.call(fixture, "message", Self.sms(fixture, "It's me"))
            #expect(reply.status == 200 && reply.headers[.contentType]?.hasPrefix("text/xml") == true, "\(reply.text)")
            #expect(reply.text.contains("<Response></Response>"))
            #expect(try await Self.clientStatus(fixture, id) == "active")
            let stored = try #require(try await Self.messages(fixture, fixture.conversationId).last)
            #expect((stored["content"] as? [String: Any])?["text"] as? String == "It's me")
            #expect((stored["source"] as? [String: Any])?["type"] as? String == "twilio")
            _ = try await fixture.api.delete("\(fixture.clients)/\(id)")

            let prompt = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, confirmation: "prompt"))
            let promptId = try #require(prompt.object["client"]?["id"] as? String)
            try await fixture.twilio.wait { fixture.twilio.messages.count == 2 }
            let before = try await Self.messages(fixture, fixture.conversationId).count
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, "yes")).status == 200)
            #expect(try await Self.clientStatus(fixture, promptId) == "active")
            #expect(try await Self.messages(fixture, fixture.conversationId).count == before)
            _ = try await fixture.api.delete("\(fixture.clients)/\(promptId)")

            let declined = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, confirmation: "prompt"))
            let declinedId = try #require(declined.object["client"]?["id"] as? String)
            try await fixture.twilio.wait { fixture.twilio.messages.count == 3 }
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, "No")).status == 200)
            #expect(try await Self.clientStatus(fixture, declinedId) == nil)
        }
    }

    @Test("A stranger's SMS makes a user, a conversation and an active client; MMS media are fetched into attachments and become image and file messages; a retried MessageSid is stored once")
    func strangerAndMedia() async throws {
        let path = TestServer.temporaryDatabasePath()
        let integration = Mutex<String?>(nil)
        let photo = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        try await Self.withTwilio(databasePath: path) { (fixture: Fixture) async throws in
            integration.withLock { $0 = fixture.integrationId }
            let gone = fixture.twilio.url + "/2010-04-01/Accounts/\(fixture.twilio.accountSid)/Messages/MM0001/Media/ME404"
            let fields = Self.sms(
                fixture, from: "+14155550100", "Here are the photos",
                media: [(fixture.twilio.addMedia(photo, type: "image/jpeg"), "image/jpeg"), (gone, "application/pdf")])
            #expect(try await Self.call(fixture, "message", fields).status == 200)
            // Twilio retries a webhook it thinks failed: the same MessageSid is stored once.
            #expect(try await Self.call(fixture, "message", fields).status == 200)
            // A number written another way is the same sender.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, from: "+1 (415) 555-0100", "And one more")).status == 200)
        }
        let integrationId = try #require(integration.withLock { $0 }.flatMap(ResourceID.init))
        try await Self.inspect(path) { (store: any ParleyStore) async throws in
            let clients = try await store.clients(integrationId: integrationId, externalId: "+14155550100")
            let client = try #require(clients.first)
            #expect(clients.count == 1 && client.type == "twilio" && client.status == .active && client.confirmation == .inbound)
            let conversationId = try #require(client.conversationId)
            let stored = try await store.messages(conversationId: conversationId, page: PageRequest()).items
            #expect(stored.count == 3, "\(stored)")
            guard stored.count == 3 else { return }
            let image = Self.object(stored[0].content)
            #expect(image["type"] == .string("image") && image["mediaType"] == .string("image/jpeg") && image["mediaSize"] == .integer(5000))
            #expect(image["text"] == .string("Here are the photos"))
            // Media Twilio could not give keep Twilio's URL: the message is not lost.
            let file = Self.object(stored[1].content)
            #expect(file.keys.sorted() == ["mediaType", "mediaUrl", "type"] && file["type"] == .string("file"), "\(file)")
            #expect(file["mediaType"] == .string("application/pdf"))
            if case .string(let url)? = file["mediaUrl"] { #expect(url.hasSuffix("/Media/ME404")) } else { Issue.record("no mediaUrl: \(file)") }
            // The picture was fetched (with the account's credentials, through the CDN's redirect)
            // into an attachment of the message: it goes with it.
            if case .string(let url)? = image["mediaUrl"], let token = AttachmentToken.of(mediaUrl: url) {
                #expect(url.hasPrefix("http://parley.test/attachments/") && url.hasSuffix("/image1.jpeg"), "\(url)")
                let attachment = try await store.attachment(token: token)
                #expect(attachment?.forMessage == true && attachment?.size == 5000 && attachment?.conversationId == conversationId)
                let file = TestServer.attachmentsDirectory(path) + "/" + token.rawValue
                #expect(FileManager.default.contents(atPath: file).map(Array.init) == photo)
            } else {
                Issue.record("the image is not a Parley attachment: \(image)")
            }
            #expect(Self.object(stored[2].content)["text"] == .string("And one more"))
            #expect(stored.allSatisfy { $0.source.type == "twilio" && $0.author.userId == client.userId.rawValue })
        }
    }

    /// Reads the store a test server left behind (on PostgreSQL its pool runs for the reads).
    static func inspect(_ path: String, _ read: @escaping @Sendable (any ParleyStore) async throws -> Void) async throws {
        try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in try await read(services.store) }
    }

    @Test("A number moves to the newest link as an address does: a stranger's number merges into the linked user; an identified user's is taken (theft)")
    func numberMoves() async throws {
        try await Self.withTwilio { fixture in
            let stranger = "+14155550100"
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, from: stranger, "Hi, who is this?")).status == 200)
            // Steve links the number: the stranger who wrote from it was Steve, and is merged into him.
            var body = Self.seedBody(fixture, message: false)
            body["matchCriteria"] = ["type": "twilio", "integrationId": fixture.integrationId, "phoneNumber": stranger]
            let steveLink = try await fixture.api.post(fixture.clients, body)
            #expect(steveLink.status == 201, "\(steveLink.text)")
            try await fixture.twilio.wait { try await fixture.api.get(fixture.clients).list("clients").first?["status"] as? String == "active" }
            let steveClients = try await fixture.api.get(fixture.clients).list("clients")
            #expect(steveClients.count == 1 && steveClients.first?["externalId"] as? String == stranger)
            // Merged, not taken: the stranger's own client survives in place of the pending one.
            let pendingId = try #require(steveLink.object["client"]?["id"] as? String)
            #expect(steveClients.first?["id"] as? String != pendingId)
            // His replies now land in the conversation the link was made for.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, from: stranger, "It's Steve")).status == 200)
            let texts = try await Self.messages(fixture, fixture.conversationId).compactMap { ($0["content"] as? [String: Any])?["text"] as? String }
            #expect(texts == ["It's Steve"], "\(texts)")

            // Ann, an identified user, links the same number: Steve's client is removed.
            let annConversation = try await fixture.api.createPersonalConversation(appId: fixture.appId, externalId: "ann")
            body["target"] = ["conversationId": annConversation]
            let annClients = "/v2/apps/\(fixture.appId)/users/ann/clients"
            #expect(try await fixture.api.post(annClients, body).status == 201)
            try await fixture.twilio.wait { try await fixture.api.get(annClients).list("clients").first?["status"] as? String == "active" }
            #expect(try await fixture.api.get(fixture.clients).list("clients").isEmpty)
            // Her replies now land in her conversation.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, from: stranger, "It's Ann now")).status == 200)
            let annTexts = try await Self.messages(fixture, annConversation).compactMap { ($0["content"] as? [String: Any])?["text"] as? String }
            #expect(annTexts == ["It's Ann now"], "\(annTexts)")
        }
    }

    @Test("Missing, forged, re-targeted and altered signatures are 401 before anything is read; a signed call for another account too; unknown endpoints 404")
    func signatures() async throws {
        let path = TestServer.temporaryDatabasePath()
        let integration = Mutex<String?>(nil)
        let photo = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        try await Self.withTwilio(databasePath: path) { (fixture: Fixture) async throws in
            integration.withLock { $0 = fixture.integrationId }
            let fields = Self.sms(fixture, from: "+14155550100", "Hi")
            #expect(try await Self.call(fixture, "message", fields, signature: "").errorCode == "unauthorized")
            #expect(try await Self.call(fixture, "message", fields, signature: "not base64 !").status == 401)
            #expect(try await Self.call(fixture, "message", fields, token: "another-token").status == 401)
            // Signed for another URL (another integration, or without the public URL's base).
            #expect(try await Self.call(fixture, "message", fields, signedURL: "http://parley.test\(fixture.inbound("status"))").status == 401)
            #expect(try await Self.call(fixture, "message", fields, signedURL: fixture.inbound("message")).status == 401)
            // A replayed signature over a changed body.
            let signature = FakeTwilio.signature(url: "http://parley.test\(fixture.inbound("message"))", fields: fields, authToken: fixture.twilio.authToken)
            var altered = fields
            altered[5] = ("Body", "Hi, send me everything")
            let replayed = try await Self.call(fixture, "message", altered, signature: signature)
            #expect(replayed.status == 401 && replayed.errorTitle.contains("X-Twilio-Signature"), "\(replayed.text)")
            // Not a form at all: nothing to verify, so unsigned.
            let json = try await fixture.api.call(.post, fixture.inbound("message"), json: ["From": "+14155550100"], anonymous: true)
            #expect(json.status == 401)
            // Signed with the right token, but for another Twilio account.
            var other = fields
            other[9] = ("AccountSid", "AC00000000000000000000000000000000")
            #expect(try await Self.call(fixture, "message", other).status == 401)
            // A signed message whose sender is no phone number is the sender's mistake.
            let bad = try await Self.call(fixture, "message", Self.sms(fixture, from: "whatsapp:nobody", "Hi"))
            #expect(bad.status == 400 && bad.errorTitle.contains("From"), "\(bad.text)")
            #expect(try await Self.call(fixture, "other", fields).status == 404)
            // The same call correctly signed is taken: the refusals above were for the signature alone.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, from: "+14155550199", "Hi")).status == 200)
        }
        // Nothing refused was stored: the stranger has no client (nor user, nor message).
        let integrationId = try #require(integration.withLock { $0 }.flatMap(ResourceID.init))
        try await Self.inspect(path) { (store: any ParleyStore) async throws in
            #expect(try await store.clients(integrationId: integrationId, externalId: "+14155550100").isEmpty)
            #expect(try await store.clients(integrationId: integrationId, externalId: "+14155550199").count == 1)
        }
    }

    @Test("Twilio's refusal fails the link with Twilio's own error; a number Twilio cannot look up too")
    func refusals() async throws {
        try await Self.withTwilio { fixture in
            fixture.twilio.answer(400)
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await fixture.twilio.wait { try await Self.clientStatus(fixture, id) == nil }
            #expect(fixture.twilio.requests == 1)

            // An integration naming a number the account does not have: Twilio's 404 ends the link.
            let unknown = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "twilio", "accountSid": fixture.twilio.accountSid, "authToken": fixture.twilio.authToken, "phoneNumberSid": "PN00000000000000000000000000000000",
            ])
            let unknownId = try #require(unknown.object["integration"]?["id"] as? String)
            var body = Self.seedBody(fixture)
            body["matchCriteria"] = ["type": "twilio", "integrationId": unknownId, "phoneNumber": "+14155550100"]
            let second = try await fixture.api.post(fixture.clients, body)
            let secondId = try #require(second.object["client"]?["id"] as? String)
            try await fixture.twilio.wait { try await Self.clientStatus(fixture, secondId) == nil }
            #expect(fixture.twilio.requests == 1 && fixture.twilio.numberLookups >= 1)
        }
    }

    @Test("Statuses become delivery events (delivered once, failures with Twilio's code); STOP blocks the client and its messages, START unblocks it")
    func statusesAndOptOut() async throws {
        let events = try await Self.withEvents([
            "client:update", "conversation:message", "conversation:message:delivery:channel", "conversation:message:delivery:user",
            "conversation:message:delivery:failure",
        ]) { fixture in
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture, message: false))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, id) == "active")

            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "First")
            try await fixture.twilio.wait { fixture.twilio.messages.count == 1 }
            try await fixture.api.server.settle()
            let first = fixture.twilio.messages[0]
            let callback = try #require(first["StatusCallback"].flatMap { URLComponents(string: $0) })
            let query = "?" + (callback.percentEncodedQuery ?? "")
            func status(_ value: String, _ sms: FakeTwilio.SMS, query: String, error: String? = nil) -> [(String, String)] {
                var fields = [("MessageSid", sms.sid), ("MessageStatus", value), ("SmsStatus", value), ("AccountSid", fixture.twilio.accountSid),
                              ("To", Self.number), ("From", fixture.twilio.phoneNumber), ("ApiVersion", "2010-04-01")]
                if let error { fields.append(("ErrorCode", error)) }
                return fields
            }
            for value in ["sent", "delivered", "delivered"] {
                let answer = try await Self.call(fixture, "status", query: query, status(value, first, query: query))
                #expect(answer.status == 200, "\(answer.text)")
            }
            // Another job's query, signed: the URL names the job, so one status cannot be moved to another.
            let forged = try await Self.call(fixture, "status", query: "?job=5f0000000000000000000000", status("delivered", first, query: ""))
            #expect(forged.status == 200 && forged.json["result"] as? String == "ignored")

            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Second")
            try await fixture.twilio.wait { fixture.twilio.messages.count == 2 }
            try await fixture.api.server.settle()
            let second = fixture.twilio.messages[1]
            let secondQuery = "?" + (URLComponents(string: second["StatusCallback"] ?? "")?.percentEncodedQuery ?? "")
            #expect(try await Self.call(fixture, "status", query: secondQuery, status("undelivered", second, query: secondQuery, error: "30003")).status == 200)

            // STOP: the client is blocked and business messages no longer go out; the keyword is kept.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, "STOP")).status == 200)
            #expect(try await Self.clientStatus(fixture, id) == "blocked")
            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "While stopped")
            try await fixture.api.server.settle()
            #expect(fixture.twilio.messages.count == 2)
            let texts = try await Self.messages(fixture, fixture.conversationId).compactMap { ($0["content"] as? [String: Any])?["text"] as? String }
            #expect(texts.contains("STOP"))
            // START (Advanced Opt-Out names it): active again, and messages flow.
            #expect(try await Self.call(fixture, "message", Self.sms(fixture, "Start", extra: [("OptOutType", "START")])).status == 200)
            #expect(try await Self.clientStatus(fixture, id) == "active")
            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Welcome back")
            try await fixture.twilio.wait { fixture.twilio.messages.count == 3 }
            #expect(fixture.twilio.messages[2]["Body"] == "Welcome back")
        }
        let types = events.map(\.type)
        #expect(types.filter { $0 == .messageDeliveryUser }.count == 1, "\(types)")
        let updates = events.filter { $0.type == .clientUpdate }.map { Self.object($0.payload)["reason"] }
        #expect(updates == [.string("confirmed"), .string("blocked"), .string("unblocked")], "\(updates)")
        let failure = try #require(events.first { $0.type == .messageDeliveryFailure })
        let error = Self.object(Self.object(failure.payload)["error"])
        #expect(error["message"].map { "\($0)".contains("30003") } == true, "\(error)")
        let accepted = try #require(events.first { $0.type == .messageDeliveryChannel })
        let destination = Self.object(Self.object(accepted.payload)["destination"])
        #expect(destination["type"] == .string("twilio"))
        guard case .array(let external)? = Self.object(accepted.payload)["externalMessages"], case .object(let first)? = external.first,
            case .string(let sid)? = first["id"]
        else {
            Issue.record("no externalMessages in \(accepted.payload)")
            return
        }
        #expect(sid.hasPrefix("SM"))
        // The order holds: a message's acceptance before its delivery.
        let channelIndex = try #require(types.firstIndex(of: .messageDeliveryChannel))
        let userIndex = try #require(types.firstIndex(of: .messageDeliveryUser))
        #expect(channelIndex < userIndex)
    }
}

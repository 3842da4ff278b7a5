import Crypto
import Foundation
import ParleyDomain
import ParleyServer
import Testing

/// Mailgun calling Parley: inbound mail through a route's forward, and delivery reports through
/// event webhooks; and business messages going out as email.
@Suite("Inbound mail and email delivery")
struct InboundMailTests {
    typealias Fixture = ClientsTests.Fixture

    /// What Mailgun signs: hex HMAC-SHA256 of timestamp + token under the key — computed here
    /// with swift-crypto directly, independently of Parley's verifier.
    static func sign(timestamp: String, token: String, key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// A route forward as Mailgun posts it, signed with `key` at `timestamp` (now by default).
    static func forward(
        _ api: APIClient, _ fixture: Fixture, from: String, text: String, recipient: String = "inbox@mg.channel5.com",
        messageId: String = "<\(UUID().uuidString)@mail.example.com>", key: String = "key-fake-123", timestamp: Date = Date(),
        signature: String? = nil
    ) async throws -> APIResponse {
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        let token = UUID().uuidString
        let body = encode([
            ("recipient", recipient), ("sender", from), ("from", from), ("subject", "Re: New message from Channel 5"),
            ("body-plain", text), ("Message-Id", messageId), ("timestamp", stamp), ("token", token),
            ("signature", signature ?? sign(timestamp: stamp, token: token, key: key)),
        ])
        return try await api.call(
            .post, "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/messages", body: body,
            contentType: "application/x-www-form-urlencoded", anonymous: true)
    }

    static func messages(_ fixture: Fixture, _ conversationId: String) async throws -> [[String: Any]] {
        try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").list("messages")
    }

    /// Runs with a fake Mailgun and a webhook that keeps answering 503, then hands the test the
    /// events queued for it, in commit order.
    static func withEvents(
        _ triggers: [String], _ test: @escaping @Sendable (Fixture, FakeMailgun) async throws -> Void
    ) async throws -> [RecordedEvent] {
        let path = TestServer.temporaryDatabasePath()
        let mailgun = FakeMailgun()
        try await mailgun.start()
        defer { mailgun.stop() }
        try await TestServer.run(databasePath: path, mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let fixture = try await ClientsTests.fixture(api, mailgun: mailgun)
            let custom = try await api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "custom", "webhooks": [["target": "\(mailgun.url)/unavailable", "triggers": triggers]],
            ])
            #expect(custom.status == 201)
            try await test(fixture, mailgun)
        }
        // startUp: on PostgreSQL the store's pool must run for these reads.
        return try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in
            try await services.store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 100, limit: 10).first?.events ?? []
        }
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let object)? = value { return object }
        return [:]
    }

    @Test("A stranger's email makes a user, a personal conversation, an active client and the message, quotes removed; a retry is stored once")
    func stranger() async throws {
        try await ClientsTests.withMailgun { fixture, mailgun in
            let text = "Where is my order?\n\nOn Tue, 24 Nov 2026 at 10:02, Channel 5 <inbox@mg.channel5.com> wrote:\n> Hello!"
            let messageId = "<first@mail.example.com>"
            let received = try await Self.forward(fixture.api, fixture, from: "Jane Doe <Jane@Example.com>", text: text, messageId: messageId)
            #expect(received.status == 200, "\(received.text)")
            #expect(received.json["result"] as? String == "stored")
            let conversationId = try #require(received.json["conversationId"] as? String)
            let messages = try await Self.messages(fixture, conversationId)
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect((message["content"] as? [String: Any])?["text"] as? String == "Where is my order?")
            let source = try #require(message["source"] as? [String: Any])
            #expect(source["type"] as? String == "mailgun" && source["integrationId"] as? String == fixture.integrationId)
            #expect(source["originalMessageId"] as? String == messageId)
            let author = try #require(message["author"] as? [String: Any])
            #expect(author["type"] as? String == "user" && author["displayName"] as? String == "Jane Doe")
            let userId = try #require(author["userId"] as? String)
            let user = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)")
            #expect((user.object["user"]?["profile"] as? [String: Any])?["email"] as? String == "jane@example.com")
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.count == 1 && clients.first?["status"] as? String == "active" && clients.first?["externalId"] as? String == "jane@example.com")
            let conversation = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(conversationId)")
            #expect(conversation.object["conversation"]?["type"] as? String == "personal")

            // Mailgun retries a forward it thinks failed: the same Message-Id is stored once.
            let retried = try await Self.forward(fixture.api, fixture, from: "Jane Doe <jane@example.com>", text: text, messageId: messageId)
            #expect(retried.status == 200 && retried.json["result"] as? String == "duplicate")
            // Her next email goes to the same user and conversation.
            let next = try await Self.forward(fixture.api, fixture, from: "jane@example.com", text: "Hello again")
            #expect(next.json["conversationId"] as? String == conversationId)
            #expect(try await Self.messages(fixture, conversationId).count == 2)
            #expect(mailgun.requests == 0)
        }
    }

    @Test("An email's attachments become attachments of the app and image and file messages, the text on the first; a refused type is left out")
    func attachments() async throws {
        try await ClientsTests.withMailgun { fixture, _ in
            let stamp = String(Int(Date().timeIntervalSince1970))
            let token = UUID().uuidString
            let boundary = "mailgun-forward-boundary"
            let photo = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 11) }
            var body: [UInt8] = []
            for (name, value) in [
                ("recipient", "inbox@mg.channel5.com"), ("sender", "jane@example.com"), ("from", "Jane <jane@example.com>"),
                ("subject", "Photos"), ("body-plain", "Two photos attached"), ("Message-Id", "<photos@mail.example.com>"),
                ("attachment-count", "3"), ("timestamp", stamp), ("token", token),
                ("signature", Self.sign(timestamp: stamp, token: token, key: "key-fake-123")),
            ] {
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            }
            for (index, (fileName, type, bytes)) in [
                ("beach.jpg", "image/jpeg", photo), ("notes.pdf", "application/pdf", Array("%PDF-1.4 notes".utf8)),
                ("setup.exe", "application/x-msdownload", Array("MZ".utf8)),
            ].enumerated() {
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachment-\(index + 1)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
                body += bytes + Array("\r\n".utf8)
            }
            body += Array("--\(boundary)--\r\n".utf8)
            let received = try await fixture.api.call(
                .post, "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/messages", bytes: body,
                contentType: "multipart/form-data; boundary=\(boundary)", anonymous: true)
            #expect(received.status == 200, "\(received.text)")
            let conversationId = try #require(received.json["conversationId"] as? String)
            let contents = try await Self.messages(fixture, conversationId).compactMap { $0["content"] as? [String: Any] }
            #expect(contents.count == 2, "the executable is not an allowed type: \(contents)")
            guard contents.count == 2 else { return }
            #expect(contents[0]["type"] as? String == "image" && contents[0]["text"] as? String == "Two photos attached")
            #expect(contents[0]["mediaType"] as? String == "image/jpeg" && contents[0]["mediaSize"] as? Int == 40_000)
            #expect(contents[1]["type"] as? String == "file" && contents[1]["mediaType"] as? String == "application/pdf")
            let mediaUrl = try #require(contents[0]["mediaUrl"] as? String)
            #expect(mediaUrl.hasPrefix("http://parley.test/attachments/") && mediaUrl.hasSuffix("/beach.jpg"), "\(mediaUrl)")
            let served = try await fixture.api.call(.get, AttachmentsTests.path(mediaUrl), anonymous: true)
            #expect(served.status == 200 && Array(served.body) == photo)
            // They are the messages' files: clearing the conversation's messages removes them.
            #expect(try await fixture.api.delete("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages").status == 200)
            #expect(try await fixture.api.call(.get, AttachmentsTests.path(mediaUrl), anonymous: true).status == 404)
        }
    }

    @Test("Forged, stale, unsigned and unreadable requests are 401 (the signature comes first); signed but unusable ones 400; unknown integrations 404; nothing is stored")
    func refusals() async throws {
        try await ClientsTests.withMailgun { fixture, _ in
            let forged = try await Self.forward(fixture.api, fixture, from: "x@example.com", text: "Hi", key: "not-the-key")
            #expect(forged.status == 401 && forged.errorCode == "unauthorized", "\(forged.text)")
            let stale = try await Self.forward(fixture.api, fixture, from: "x@example.com", text: "Hi", timestamp: Date().addingTimeInterval(-16 * 60))
            #expect(stale.status == 401 && stale.errorTitle.contains("minutes"), "\(stale.text)")
            let unsigned = try await Self.forward(fixture.api, fixture, from: "x@example.com", text: "Hi", signature: "")
            #expect(unsigned.status == 401)
            let path = "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/messages"
            // Bodies that are not a form carry no signature: refused as unsigned, before their shape is judged.
            let json = try await fixture.api.call(.post, path, json: ["from": "x@example.com"], anonymous: true)
            #expect(json.status == 401 && json.errorCode == "unauthorized", "\(json.text)")
            let empty = try await fixture.api.call(.post, path, anonymous: true)
            #expect(empty.status == 401 && empty.errorCode == "unauthorized", "\(empty.text)")
            let events = "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/events"
            for body in ["", "not json", #"{"event-data": {}}"#] {
                let response = try await fixture.api.call(.post, events, body: body, anonymous: true)
                #expect(response.status == 401 && response.errorCode == "unauthorized", "\(body): \(response.text)")
            }
            // A signed event webhook without its event-data is the sender's mistake: 400.
            let stamp = String(Int(Date().timeIntervalSince1970))
            let signed = try await fixture.api.call(
                .post, events, json: ["signature": ["timestamp": stamp, "token": "t", "signature": Self.sign(timestamp: stamp, token: "t", key: "key-fake-123")]],
                anonymous: true)
            #expect(signed.status == 400 && signed.errorCode == "bad_request", "\(signed.text)")
            let unknown = try await fixture.api.call(
                .post, "/v2/apps/\(fixture.appId)/integrations/5f0000000000000000000000/inbound/messages", body: "a=b",
                contentType: "application/x-www-form-urlencoded", anonymous: true)
            #expect(unknown.status == 404 && unknown.errorCode == "integration_not_found")
            let endpoint = try await fixture.api.call(
                .post, "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/other", body: "a=b",
                contentType: "application/x-www-form-urlencoded", anonymous: true)
            #expect(endpoint.status == 404)
            // Nothing was stored: steve's conversation is as it was, and no stranger's conversation exists.
            #expect(try await Self.messages(fixture, fixture.conversationId).isEmpty)
        }
    }

    @Test("A NUL in an email's text is dropped, not stored cut short nor refused (Mailgun would only send it again)")
    func nulInMail() async throws {
        try await ClientsTests.withMailgun { fixture, _ in
            let stored = try await Self.forward(fixture.api, fixture, from: "Nul <nul@example.com>", text: "Hello\u{0} there\u{0}!")
            #expect(stored.status == 200 && stored.json["result"] as? String == "stored", "\(stored.text)")
            let conversationId = try #require(stored.json["conversationId"] as? String)
            let message = try #require(try await Self.messages(fixture, conversationId).first)
            #expect((message["content"] as? [String: Any])?["text"] as? String == "Hello there!")
        }
    }

    @Test("A signingKey, when set, is the key; the apiKey no longer verifies")
    func signingKey() async throws {
        try await ClientsTests.withMailgun { fixture, _ in
            // The signing key is create-only (a credential): a second integration carries one.
            let created = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "mailgun", "apiKey": "key-fake-123", "signingKey": "whsec-789", "domain": "mg2.channel5.com",
                "incomingAddress": "in@mg2.channel5.com",
            ])
            let id = try #require(created.object["integration"]?["id"] as? String)
            let second = Fixture(api: fixture.api, appId: fixture.appId, integrationId: id, conversationId: fixture.conversationId)
            #expect(try await Self.forward(fixture.api, second, from: "x@example.com", text: "Hi").status == 401)
            #expect(try await Self.forward(fixture.api, second, from: "x@example.com", text: "Hi", key: "whsec-789").status == 200)
        }
    }

    @Test("userActivity: the client stays pending until the user writes; then it is active and the message is in the target conversation")
    func userActivity() async throws {
        try await ClientsTests.withMailgun { fixture, mailgun in
            var body = ClientsTests.seedBody(fixture)
            ClientsTests.set(&body, "confirmation", "type", "userActivity")
            let created = try await fixture.api.post(fixture.clients, body)
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { mailgun.emails.count == 1 }
            #expect(try await ClientsTests.clientStatus(fixture, id) == "pending")
            let reply = try await Self.forward(fixture.api, fixture, from: "SteveB@channel5.com", text: "Hi, it's me")
            #expect(reply.json["conversationId"] as? String == fixture.conversationId, "\(reply.text)")
            #expect(try await ClientsTests.clientStatus(fixture, id) == "active")
            let message = try #require(try await Self.messages(fixture, fixture.conversationId).last)
            let author = try #require(message["author"] as? [String: Any])
            let steve = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve")
            #expect(author["userId"] as? String == steve.object["user"]?["id"] as? String)
        }
    }

    @Test("prompt: yes activates without storing the answer; no removes the pending client; anything else is a message")
    func prompt() async throws {
        try await ClientsTests.withMailgun { fixture, mailgun in
            var body = ClientsTests.seedBody(fixture)
            ClientsTests.set(&body, "confirmation", "type", "prompt")
            let first = try #require(try await fixture.api.post(fixture.clients, body).object["client"]?["id"] as? String)
            try await mailgun.wait { mailgun.emails.count == 1 }
            // Not an answer: until the user confirms, the address is a stranger's, with a conversation of its own.
            let chatter = try await Self.forward(fixture.api, fixture, from: "steveb@channel5.com", text: "What is this about?")
            #expect(chatter.json["result"] as? String == "stored")
            #expect(chatter.json["conversationId"] as? String != fixture.conversationId)
            #expect(try await ClientsTests.clientStatus(fixture, first) == "pending")
            let yes = try await Self.forward(fixture.api, fixture, from: "steveb@channel5.com", text: "Yes!\n\n> Reply YES to confirm")
            #expect(yes.json["result"] as? String == "linkConfirmed", "\(yes.text)")
            // Confirmed: the stranger was steve all along and is merged into him; the stranger's client survives.
            let clients = try await fixture.api.get(fixture.clients).list("clients")
            #expect(clients.map { $0["status"] as? String } == ["active"])
            #expect(clients.first?["id"] as? String == yes.json["clientId"] as? String)
            let chatterConversation = try #require(chatter.json["conversationId"] as? String)
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(chatterConversation)/participants")
            #expect(participants.list("participants").map { $0["userExternalId"] as? String } == ["steve"])

            // A second prompt, for another address, declined.
            ClientsTests.set(&body, "matchCriteria", "address", "steve.home@example.com")
            let second = try #require(try await fixture.api.post(fixture.clients, body).object["client"]?["id"] as? String)
            try await mailgun.wait { mailgun.emails.count == 2 }
            let no = try await Self.forward(fixture.api, fixture, from: "steve.home@example.com", text: "no thanks")
            #expect(no.json["result"] as? String == "linkCancelled", "\(no.text)")
            #expect(try await ClientsTests.clientStatus(fixture, second) == nil)
            // "What is this about?" is the only stored text: answers are not messages.
            let texts = try await Self.messages(fixture, chatterConversation).compactMap {
                ($0["content"] as? [String: Any])?["text"] as? String
            }
            #expect(!texts.contains { $0.hasPrefix("Yes") || $0.hasPrefix("no") })
        }
    }

    @Test("A business message reaches the linked user by email, with the client's subject and a tagged Reply-To; replies come back to it")
    func outboundAndReply() async throws {
        try await ClientsTests.withMailgun { fixture, mailgun in
            let created = try await fixture.api.post(fixture.clients, ClientsTests.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, id) == "active" }
            let posted = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Your order shipped")
            #expect(posted.status == 201)
            try await mailgun.wait { mailgun.emails.count == 2 }
            let email = mailgun.emails[1]
            #expect(email.fields["to"] == "steveb@channel5.com")
            #expect(email.fields["subject"] == "New message from Channel 5")
            #expect(email.fields["text"] == "Your order shipped")
            let replyTo = try #require(email.fields["h:Reply-To"])
            #expect(replyTo == "inbox+\(fixture.conversationId)@mg.channel5.com")
            #expect(email.fields["v:parley-job"] != nil)
            // A user's own message is not mailed back to them.
            let reply = try await Self.forward(fixture.api, fixture, from: "steveb@channel5.com", text: "Thanks!", recipient: replyTo)
            #expect(reply.json["conversationId"] as? String == fixture.conversationId)
            // destination integrationType none: stored, not delivered.
            let quiet = try await fixture.api.post("/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages", [
                "author": ["type": "business"], "content": ["type": "text", "text": "internal"], "destination": ["integrationType": "none"],
            ])
            #expect(quiet.status == 201, "\(quiet.text)")
            try await fixture.api.server.settle()
            #expect(mailgun.emails.count == 2)
        }
    }

    @Test("Business images and files go by email: Parley's attached (images inline), media kept elsewhere as links")
    func outboundMedia() async throws {
        try await ClientsTests.withMailgun { fixture, mailgun in
            let created = try await fixture.api.post(fixture.clients, ClientsTests.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, id) == "active" }
            let photo = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 17) }
            func upload(_ bytes: [UInt8], _ name: String, _ type: String) async throws -> String {
                let uploaded = try await AttachmentsTests.upload(
                    fixture.api, appId: fixture.appId, file: bytes, fileName: name, type: type, query: "access=public&for=message")
                return try #require(uploaded.object["attachment"]?["mediaUrl"] as? String, "\(uploaded.text)")
            }
            let sends: [[String: Any]] = [
                ["type": "image", "mediaUrl": try await upload(photo, "photo.png", "image/png"), "text": "Your photo"],
                ["type": "file", "mediaUrl": try await upload(Array("%PDF-1.4".utf8), "invoice.pdf", "application/pdf")],
                ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg"],
            ]
            for (index, content) in sends.enumerated() {
                let posted = try await fixture.api.post(
                    "/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages", ["author": ["type": "business"], "content": content])
                #expect(posted.status == 201, "\(posted.text)")
                // One at a time, so the emails are in the messages' order.
                try await mailgun.wait { mailgun.emails.count == index + 2 }
            }
            let emails = Array(mailgun.emails.dropFirst())
            // The image inline, shown by its Content-ID (its file name); the caption as text.
            #expect(emails[0].files.map(\.field) == ["inline"] && emails[0].files.first?.bytes == photo)
            #expect(emails[0].files.first?.fileName == "photo.png" && emails[0].files.first?.contentType == "image/png")
            #expect(emails[0].fields["html"]?.contains("<img src=\"cid:photo.png\"") == true, "\(emails[0].fields)")
            #expect(emails[0].fields["text"] == "Your photo" && emails[0].fields["to"] == "steveb@channel5.com")
            // The file attached, not linked.
            #expect(emails[1].files.map(\.field) == ["attachment"] && emails[1].files.first?.bytes == Array("%PDF-1.4".utf8))
            #expect(emails[1].fields["text"]?.contains("http") == false && emails[1].fields["html"]?.contains("<img") == false)
            // Media kept elsewhere: a link (files over 10 MB too: MailgunConnectorTests.attachedSizes).
            #expect(emails[2].files.isEmpty && emails[2].fields["text"] == "https://cdn.example.com/box.jpg")
            #expect(emails[2].fields["html"]?.contains("<img src=\"https://cdn.example.com/box.jpg\"") == true)
        }
    }

    @Test("Delivery events: channel acceptance, the user's mail server (Mailgun's delivered report), and failures")
    func deliveryEvents() async throws {
        let events = try await Self.withEvents(["conversation:message:delivery:channel", "conversation:message:delivery:user", "conversation:message:delivery:failure"]) { fixture, mailgun in
            let created = try await fixture.api.post(fixture.clients, ClientsTests.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, id) == "active" }
            // Mailgun takes the email but is slow to answer, so its report can overtake the answer.
            mailgun.delayAnswers(.seconds(3))
            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Shipped")
            try await mailgun.wait { mailgun.emails.count == 2 }
            mailgun.delayAnswers(.zero)
            let job = try #require(mailgun.emails[1].fields["v:parley-job"])
            // Mailgun reports the delivery to the user's mail server through an event webhook.
            let stamp = String(Int(Date().timeIntervalSince1970))
            let report: [String: Any] = [
                "signature": ["timestamp": stamp, "token": "tok-9", "signature": Self.sign(timestamp: stamp, token: "tok-9", key: "key-fake-123")],
                "event-data": ["event": "delivered", "user-variables": ["parley-job": job]],
            ]
            let path = "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/events"
            // Before the send's answer is recorded the report is refused (Mailgun retries it)…
            let early = try await fixture.api.call(.post, path, json: report, anonymous: true)
            #expect(early.status == 409, "\(early.text)")
            // …and once it is, recorded after the channel's acceptance.
            var answered = early
            for _ in 0..<100 where answered.status == 409 {
                try await Task.sleep(for: .milliseconds(100))
                answered = try await fixture.api.call(.post, path, json: report, anonymous: true)
            }
            #expect(answered.status == 200 && answered.json["result"] as? String == "recorded", "\(answered.text)")
            var forged = report
            forged["signature"] = ["timestamp": stamp, "token": "tok-9", "signature": String(repeating: "0", count: 64)]
            #expect(try await fixture.api.call(.post, path, json: forged, anonymous: true).status == 401)
            // Then a message Mailgun refuses for good.
            mailgun.answer(400)
            _ = try await fixture.api.postText(appId: fixture.appId, conversationId: fixture.conversationId, "Refused")
            try await mailgun.wait { mailgun.requests == 3 }
            // The refusal recorded and its event delivered.
            try await fixture.api.server.settle()
        }
        #expect(events.map(\.type) == [
            .messageDeliveryChannel, .messageDeliveryUser, .messageDeliveryFailure,
        ])
        let channel = Self.object(events[0].payload)
        #expect(Self.object(channel["destination"])["type"] == .string("mailgun"))
        #expect(Self.object(channel["destination"])["integrationId"] != nil)
        #expect(channel["isFinalEvent"] == .bool(false))
        if case .array(let external)? = channel["externalMessages"] { #expect(external.count == 1) } else { Issue.record("no externalMessages") }
        #expect(Self.object(channel["user"])["externalId"] == .string("steve"))
        #expect(Self.object(events[1].payload)["isFinalEvent"] == .bool(true))
        #expect(Self.object(events[1].payload)["message"] == channel["message"])
        let failure = Self.object(events[2].payload)
        #expect(Self.object(failure["error"])["code"] == .string("uncategorized_error"))
        #expect(Self.object(failure["error"])["message"] == .string("HTTP 400"))
    }

    @Test("Linking an address another identified user has takes it (theft); linking one a stranger wrote from merges the stranger in")
    func theftAndMerge() async throws {
        let events = try await Self.withEvents(["client:remove", "user:merge"]) { fixture, mailgun in
            // alice holds steveb@ first.
            let aliceClients = "/v2/apps/\(fixture.appId)/users/alice/clients"
            let aliceConversation = try await fixture.api.createPersonalConversation(appId: fixture.appId, externalId: "alice")
            var body = ClientsTests.seedBody(fixture)
            ClientsTests.set(&body, "target", "conversationId", aliceConversation)
            let aliceClient = try #require(try await fixture.api.post(aliceClients, body).object["client"]?["id"] as? String)
            try await mailgun.wait { try await fixture.api.get(aliceClients).list("clients").first?["status"] as? String == "active" }
            // steve links the same address: alice loses it.
            let steveClient = try #require(try await fixture.api.post(fixture.clients, ClientsTests.seedBody(fixture)).object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, steveClient) == "active" }
            #expect(try await fixture.api.get(aliceClients).list("clients").isEmpty)
            _ = aliceClient

            // A stranger writes from another address; then steve links that address too: the stranger is merged into steve.
            let stranger = try await Self.forward(fixture.api, fixture, from: "steve.home@example.com", text: "Hello from home")
            let strangerConversation = try #require(stranger.json["conversationId"] as? String)
            let strangerUser = try #require((try await Self.messages(fixture, strangerConversation).first?["author"] as? [String: Any])?["userId"] as? String)
            ClientsTests.set(&body, "matchCriteria", "address", "steve.home@example.com")
            ClientsTests.set(&body, "target", "conversationId", fixture.conversationId)
            let pending = try #require(try await fixture.api.post(fixture.clients, body).object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, pending) == nil }
            let clients = try await fixture.api.get(fixture.clients).list("clients")
            #expect(clients.compactMap { $0["externalId"] as? String }.sorted() == ["steve.home@example.com", "steveb@channel5.com"])
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(strangerConversation)/participants")
            #expect(participants.list("participants").map { $0["userExternalId"] as? String } == ["steve"])
            let history = try await Self.messages(fixture, strangerConversation)
            let steve = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve")
            #expect(try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(strangerUser)").status == 404)
            #expect((history.first?["author"] as? [String: Any])?["userId"] as? String == steve.object["user"]?["id"] as? String)
        }
        #expect(events.map(\.type) == [.clientRemove, .userMerge])
        #expect(Self.object(events[0].payload)["reason"] == .string("theft"))
        #expect(Self.object(Self.object(events[0].payload)["user"])["externalId"] == .string("alice"))
        let merge = Self.object(events[1].payload)
        #expect(merge["reason"] == .string("channelLinking"))
        #expect(Self.object(Self.object(merge["mergedUsers"])["surviving"])["externalId"] == .string("steve"))
        #expect(Self.object(Self.object(merge["mergedClients"])["surviving"])["externalId"] == .string("steve.home@example.com"))
        #expect(Self.object(Self.object(merge["mergedClients"])["discarded"])["status"] == .string("pending"))
    }

    @Test("An unanswered prompt expires: the pending client is removed; other confirmation types wait")
    func promptExpiry() async throws {
        let mailgun = FakeMailgun()
        try await mailgun.start()
        defer { mailgun.stop() }
        try await TestServer.run(mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy, promptExpirySeconds: 1) { api in
            let fixture = try await ClientsTests.fixture(api, mailgun: mailgun)
            var body = ClientsTests.seedBody(fixture)
            ClientsTests.set(&body, "confirmation", "type", "userActivity")
            let waiting = try #require(try await fixture.api.post(fixture.clients, body).object["client"]?["id"] as? String)
            ClientsTests.set(&body, "confirmation", "type", "prompt")
            let prompt = try #require(try await fixture.api.post(fixture.clients, body).object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, prompt) == nil }
            #expect(try await ClientsTests.clientStatus(fixture, waiting) == "pending")
        }
    }
}

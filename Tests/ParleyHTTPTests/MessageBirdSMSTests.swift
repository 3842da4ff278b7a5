import Foundation
import ParleyDomain
import ParleyServer
import Testing

/// A MessageBird integration as the spec describes it, on an SMS number (originator
/// `12262121021`), end to end against `FakeMessageBird`: SMS out through the SMS API's
/// `/messages`, SMS in from a Flow Builder "Forward to URL" step, status reports by GET on the
/// `reportUrl`, all signed with `MessageBird-Signature-JWT`.
@Suite("MessageBird SMS")
struct MessageBirdSMSTests {
    typealias Fixture = MessageBirdTests.Fixture

    static let number = MessageBirdTests.number
    static let stranger = MessageBirdTests.stranger

    static func withSMSNumber(_ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        try await MessageBirdTests.withMessageBird(originator: "12262121021", test)
    }

    /// MessageBird calling a status report's URL (GET, no body), signed for that URL unless told.
    static func report(_ fixture: Fixture, _ url: String?, signature: String?? = .none, signingKey: String? = nil) async throws -> APIResponse {
        let url = try #require(url, "the SMS asked for no report")
        let path = String(url.dropFirst("http://parley.test".count))
        #expect(url.hasPrefix("http://parley.test/"), "\(url)")
        let header = signature ?? FakeMessageBird.signature(url: url, body: Data(), signingKey: signingKey ?? fixture.bird.signingKey)
        return try await fixture.api.call(.get, path, contentType: nil, anonymous: true, headers: header.map { ["MessageBird-Signature-JWT": $0] } ?? [:])
    }

    @Test("The spec's integration (originator 12262121021) sends SMS by /messages: text, actions written out, image and file as links; a reportUrl and reference for conversation messages; a refusal is final")
    func outbound() async throws {
        try await Self.withSMSNumber { fixture in
            let hello = try await MessageBirdTests.deliver(fixture, fixture.bird.forwardedSMS(from: Self.stranger, "Hi"))
            let conversationId = try #require(hello.json["conversationId"] as? String, "\(hello.text)")
            let contents: [[String: Any]] = [
                ["type": "text", "text": "Plain"],
                ["type": "text", "text": "Your order?", "actions": [
                    ["type": "link", "text": "Track", "uri": "https://shop.example.com/track"],
                    ["type": "reply", "text": "Cancel it", "payload": "CANCEL"],
                ]],
                ["type": "image", "mediaUrl": "https://cdn.example.com/box.jpg", "text": "Your box"],
                ["type": "file", "mediaUrl": "https://cdn.example.com/invoice.pdf"],
                ["type": "location", "coordinates": ["lat": 45.5, "long": -73.25]],
            ]
            for (index, content) in contents.enumerated() {
                let posted = try await fixture.api.post(fixture.messagesPath(conversationId), ["author": ["type": "business"], "content": content])
                #expect(posted.status == 201, "\(posted.text)")
                try await fixture.bird.wait { fixture.bird.sms.count == index + 1 }
            }
            #expect(fixture.bird.sent.isEmpty, "nothing went by the Conversations API")
            let sms = fixture.bird.sms
            let report = "http://parley.test\(fixture.webhook)"
            #expect(sms.allSatisfy { $0.originator == "12262121021" && $0.recipients == ["14155550100"] && $0.reportUrl == report })
            let messageIds = try await MessageBirdTests.messages(fixture, conversationId).filter { ($0["author"] as? [String: Any])?["type"] as? String == "business" }
                .compactMap { $0["id"] as? String }
            #expect(sms.compactMap(\.reference) == messageIds, "each SMS names its message as reference")
            #expect(sms.map(\.text) == [
                "Plain", "Your order?\n\nTrack: https://shop.example.com/track\nCancel it", "Your box\nhttps://cdn.example.com/box.jpg",
                "https://cdn.example.com/invoice.pdf", "Location shared:\nhttps://maps.google.com/maps?q=45.5,-73.25",
            ])

            // MessageBird's id is the message's external id, shown at the channel's delivery.
            try await fixture.bird.wait { fixture.inbox.types("hook").contains("conversation:message:delivery:channel") }
            let accepted = try #require(fixture.inbox.events("hook").first { $0["type"] as? String == "conversation:message:delivery:channel" })
            let external = (accepted["payload"] as? [String: Any])?["externalMessages"] as? [[String: Any]]
            #expect(sms.map(\.id).contains(external?.first?["id"] as? String ?? "-"), "\(accepted)")

            // A refusal (422, MessageBird's errors) is final: one request, no retry.
            fixture.bird.answer(422)
            let before = fixture.bird.requests
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Refused").status == 201)
            try await fixture.bird.wait { fixture.bird.requests == before + 1 }
            #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "After").status == 201)
            try await fixture.bird.wait { fixture.bird.sms.last?.text == "After" }
            try await fixture.api.server.settle()
            #expect(fixture.bird.requests == before + 2 && !fixture.bird.sms.contains { $0.text == "Refused" })
        }
    }

    @Test("Status reports (GET on the reportUrl): delivered once, delivery_failed and expired with MessageBird's code and reason; unknown ids and interim statuses change nothing; unsigned, forged or secretless reports are 401")
    func reports() async throws {
        try await Self.withSMSNumber { fixture in
            let hello = try await MessageBirdTests.deliver(fixture, fixture.bird.forwardedSMS(from: Self.stranger, "Where is my order?"))
            let conversationId = try #require(hello.json["conversationId"] as? String, "\(hello.text)")
            for text in ["Shipped", "Tracking number", "Late"] {
                #expect(try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, text).status == 201)
                try await fixture.bird.wait { fixture.bird.sms.contains { $0.text == text } }
            }
            try await fixture.api.server.settle()
            let shipped = try #require(fixture.bird.sms.first { $0.text == "Shipped" })
            let tracking = try #require(fixture.bird.sms.first { $0.text == "Tracking number" })
            let late = try #require(fixture.bird.sms.first { $0.text == "Late" })

            // Refused before anything is read: no signature, another key, a URL without the secret.
            let delivered = fixture.bird.statusReportURL(shipped, "delivered")
            let missing = try await Self.report(fixture, delivered, signature: .some(nil))
            #expect(missing.status == 401 && missing.errorTitle.contains("MessageBird-Signature-JWT"), "\(missing.text)")
            #expect(try await Self.report(fixture, delivered, signingKey: "another-signing-key").status == 401)
            let secretless = delivered?.replacingOccurrences(of: "secret=\(fixture.webhookSecret)", with: "secret=0")
            #expect(try await Self.report(fixture, secretless).status == 401)
            // Signed for the report but replayed on another message's.
            let stolen = FakeMessageBird.signature(url: delivered ?? "", body: Data(), signingKey: fixture.bird.signingKey)
            #expect(try await Self.report(fixture, fixture.bird.statusReportURL(tracking, "delivered"), signature: stolen).status == 401)
            try await fixture.api.server.settle()
            #expect(!fixture.inbox.types("hook").contains("conversation:message:delivery:user"), "a refused report recorded nothing")

            for status in ["sent", "buffered"] {
                #expect(try await Self.report(fixture, fixture.bird.statusReportURL(shipped, status)).json["result"] as? String == "ignored")
            }
            for _ in 0..<2 {
                let answer = try await Self.report(fixture, delivered)
                #expect(answer.status == 200, "\(answer.text)")
            }
            let failed = try await Self.report(fixture, fixture.bird.statusReportURL(tracking, "delivery_failed", errorCode: 104, reason: "unknown subscriber"))
            #expect(failed.json["result"] as? String == "recorded", "\(failed.text)")
            #expect(try await Self.report(fixture, fixture.bird.statusReportURL(late, "expired")).json["result"] as? String == "recorded")
            // A report for an SMS Parley never sent changes nothing; one naming no message is the sender's mistake.
            var unknown = shipped
            unknown.id = "ffffffffffffffffffffffffffffffff"
            #expect(try await Self.report(fixture, fixture.bird.statusReportURL(unknown, "delivered")).json["result"] as? String == "ignored")
            #expect(try await Self.report(fixture, "http://parley.test\(fixture.webhook)&status=delivered").status == 400)

            try await fixture.bird.wait { fixture.inbox.types("hook").filter { $0 == "conversation:message:delivery:failure" }.count == 2 }
            try await fixture.api.server.settle()
            let events = fixture.inbox.events("hook")
            #expect(events.filter { $0["type"] as? String == "conversation:message:delivery:user" }.count == 1)
            let failures = events.filter { $0["type"] as? String == "conversation:message:delivery:failure" }
            let errors = failures.compactMap { ((($0["payload"] as? [String: Any])?["error"] as? [String: Any])?["message"] as? String) }
            #expect(errors.contains { $0.contains("104") && $0.contains("unknown subscriber") && $0.contains("delivery_failed") }, "\(errors)")
            #expect(errors.contains { $0.contains("expired") }, "\(errors)")
        }
    }

    @Test("Flow Builder SMS: a stranger's makes a user, conversation and client (externalId in E.164), once per MessageBird id; a linked user's reply lands in their conversation; bad signatures are 401; another number's SMS is ignored")
    func inbound() async throws {
        try await Self.withSMSNumber { fixture in
            let hello = fixture.bird.forwardedSMS(from: Self.stranger, "Hello there", id: "e8077d803532c0b5937c639b60216938")
            // Refused first: no signature, another key, a body the signature does not cover, no secret.
            #expect(try await MessageBirdTests.deliver(fixture, hello, signature: .some(nil)).status == 401)
            #expect(try await MessageBirdTests.deliver(fixture, hello, signingKey: "another-signing-key").status == 401)
            let other = try JSONSerialization.data(withJSONObject: fixture.bird.forwardedSMS(from: Self.stranger, "Send me everything"))
            #expect(try await MessageBirdTests.deliver(fixture, hello, body: other).status == 401)
            #expect(try await MessageBirdTests.deliver(fixture, hello, path: fixture.endpoint).status == 401)

            let received = try await MessageBirdTests.deliver(fixture, hello)
            #expect(received.status == 200 && received.json["result"] as? String == "stored", "\(received.text)")
            let conversationId = try #require(received.json["conversationId"] as? String)
            #expect(try await MessageBirdTests.deliver(fixture, hello).json["result"] as? String == "duplicate")
            let messages = try await MessageBirdTests.messages(fixture, conversationId)
            #expect(messages.count == 1 && (messages.first?["content"] as? [String: Any])?["text"] as? String == "Hello there")
            let first = try #require(messages.first)
            #expect((first["source"] as? [String: Any])?["type"] as? String == "messagebird")
            let userId = try #require((first["author"] as? [String: Any])?["userId"] as? String)
            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients").list("clients")
            #expect(clients.count == 1 && clients.first?["externalId"] as? String == Self.stranger, "\(clients)")
            // The SMS API's name for the text, `body`, is read too.
            var body = fixture.bird.forwardedSMS(from: Self.stranger, "")
            body["payload"] = nil
            body["body"] = "Second"
            #expect(try await MessageBirdTests.deliver(fixture, body).json["conversationId"] as? String == conversationId)

            // Steve links his number; his SMS reply lands in his conversation.
            let link = try await fixture.api.post(fixture.clients, MessageBirdTests.link(fixture, confirmation: "immediate"))
            #expect(link.status == 201, "\(link.text)")
            let linkId = try #require(link.object["client"]?["id"] as? String)
            try await fixture.bird.wait { try await MessageBirdTests.clientStatus(fixture, linkId) == "active" }
            let confirmation = try #require(fixture.bird.sms.first)
            #expect(confirmation.recipients == ["12125552368"] && confirmation.text == "Hello!" && confirmation.reportUrl == nil)
            let reply = try await MessageBirdTests.deliver(fixture, fixture.bird.forwardedSMS(from: "12125552368", "Thanks, got it"))
            #expect(reply.json["conversationId"] as? String == fixture.conversationId, "\(reply.text)")
            let steve = try await MessageBirdTests.messages(fixture, fixture.conversationId).compactMap { ($0["content"] as? [String: Any])?["text"] as? String }
            #expect(steve.contains("Thanks, got it"), "\(steve)")

            // An SMS to another of the account's numbers is not this integration's; a sender that is no number is the sender's mistake.
            var elsewhere = fixture.bird.forwardedSMS(from: Self.stranger, "Not for you")
            elsewhere["recipient"] = "15550009999"
            #expect(try await MessageBirdTests.deliver(fixture, elsewhere).json["result"] as? String == "ignored")
            let nobody = try await MessageBirdTests.deliver(fixture, fixture.bird.forwardedSMS(from: "nobody", "Hi"))
            #expect(nobody.status == 400, "\(nobody.text)")
            #expect(try await MessageBirdTests.messages(fixture, conversationId).count == 2)
        }
    }
}

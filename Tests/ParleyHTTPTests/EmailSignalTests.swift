import Crypto
import Foundation
import ParleyDomain
import Testing

/// A postback button chosen on the email channel, and a referral by address: the email shows it as a link to Parley, which
/// asks the person to confirm (a mail scanner opening the link chooses nothing) and then records
/// `conversation:postback` with the action's payload and metadata.
@Suite("Postbacks and referrals by email")
struct EmailSignalTests {
    /// The link's signature as Parley documents it, computed here with swift-crypto directly.
    static func signature(job: String, action: Int, apiKey: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("postback.\(job).\(action)".utf8), using: SymmetricKey(data: Data(apiKey.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    @Test("An email shows links and postback buttons; following a postback link and confirming records conversation:postback once per choice")
    func postbackByEmail() async throws {
        let events = try await InboundMailTests.withEvents(["conversation:postback", "conversation:message"]) { fixture, mailgun in
            let created = try await fixture.api.post(fixture.clients, ClientsTests.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { try await ClientsTests.clientStatus(fixture, id) == "active" }
            let posted = try await fixture.api.post("/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages", [
                "author": ["type": "business"],
                "content": ["type": "text", "text": "Shall we ship today?", "actions": [
                    ["type": "link", "text": "Track", "uri": "https://example.com/track"],
                    ["type": "postback", "text": "Yes <today>", "payload": "SHIP_TODAY", "metadata": ["priority": 1]],
                    ["type": "postback", "text": "No", "payload": "SHIP_LATER"],
                ]],
            ])
            #expect(posted.status == 201, "\(posted.text)")
            try await mailgun.wait { mailgun.emails.count == 2 }
            let email = mailgun.emails[1]
            let job = try #require(email.fields["v:parley-job"])
            let base = "http://parley.test/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/postback"
            let yes = "\(base)?job=\(job)&action=1&signature=\(Self.signature(job: job, action: 1, apiKey: mailgun.apiKey))"
            let no = "\(base)?job=\(job)&action=2&signature=\(Self.signature(job: job, action: 2, apiKey: mailgun.apiKey))"
            #expect(email.fields["text"] == "Shall we ship today?\n\nTrack: https://example.com/track\nYes <today>: \(yes)\nNo: \(no)")
            let html = try #require(email.fields["html"])
            #expect(html.contains("<a href=\"https://example.com/track\">Track</a>"))
            #expect(html.contains("<a href=\"\(yes.replacingOccurrences(of: "&", with: "&amp;"))\">Yes &lt;today&gt;</a>"))

            let path = String(yes.dropFirst("http://parley.test".count))
            // Opening the link asks; it records nothing.
            let page = try await fixture.api.call(.get, path, anonymous: true)
            #expect(page.status == 200)
            #expect(page.text.contains("<button type=\"submit\">Yes &lt;today&gt;</button>"))
            #expect(page.text.contains("method=\"post\""))
            let confirmed = try await fixture.api.call(.post, path, body: "", contentType: "application/x-www-form-urlencoded", anonymous: true)
            #expect(confirmed.status == 200)
            #expect(confirmed.text.contains("Your choice was sent"))

            // Forged or altered links count for nothing.
            let forged = try await fixture.api.call(.post, path.replacingOccurrences(of: "action=1", with: "action=2"), body: "", anonymous: true)
            #expect(forged.status == 401)
            #expect(try await fixture.api.call(.get, String(path.dropLast(4)) + "0000", anonymous: true).status == 401)
            // A signed link to an action that is not a postback (the link) is not a choice.
            let track = "\(base.dropFirst("http://parley.test".count))?job=\(job)&action=0&signature=\(Self.signature(job: job, action: 0, apiKey: mailgun.apiKey))"
            #expect(try await fixture.api.call(.post, track, body: "", anonymous: true).status == 404)
            // Provider endpoints stay POST-only.
            #expect(try await fixture.api.call(.get, "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)/inbound/messages", anonymous: true).status == 404)
        }
        let postbacks = events.filter { $0.type == .conversationPostback }
        #expect(postbacks.count == 1)
        let payload = InboundMailTests.object(postbacks.first?.payload)
        #expect(payload["postback"] == .object(["payload": .string("SHIP_TODAY"), "metadata": .object(["priority": .integer(1)])]))
        #expect(InboundMailTests.object(payload["source"])["type"] == .string("mailgun"))
        #expect(InboundMailTests.object(payload["user"])["externalId"] == .string("steve"))
        #expect(postbacks.first?.conversationId?.rawValue == events.first { $0.type == .conversationMessage }?.conversationId?.rawValue)
    }

    @Test("An email to a tagged address (support+spring-ad@…) is a referral: conversation:referral with the code, and the message")
    func referralByAddress() async throws {
        let events = try await InboundMailTests.withEvents(["conversation:referral", "conversation:message"]) { fixture, _ in
            let first = try await InboundMailTests.forward(
                fixture.api, fixture, from: "Ann <ann@example.com>", text: "Saw your ad", recipient: "inbox+spring-ad@mg.channel5.com")
            #expect(first.json["result"] as? String == "stored", "\(first.text)")
            // A conversation tag is not a referral, nor is a tag with other characters.
            let conversationId = try #require(first.json["conversationId"] as? String)
            _ = try await InboundMailTests.forward(
                fixture.api, fixture, from: "ann@example.com", text: "Me again", recipient: "inbox+\(conversationId)@mg.channel5.com")
            _ = try await InboundMailTests.forward(fixture.api, fixture, from: "ann@example.com", text: "Odd", recipient: "inbox+a!b@mg.channel5.com")
        }
        #expect(events.map(\.type) == [.conversationReferral, .conversationMessage, .conversationMessage, .conversationMessage])
        let payload = InboundMailTests.object(events.first?.payload)
        #expect(payload["referral"] == .object(["code": .string("spring-ad")]))
        #expect(InboundMailTests.object(payload["user"])["profile"] != nil)
        #expect(InboundMailTests.object(payload["source"])["type"] == .string("mailgun"))
    }
}

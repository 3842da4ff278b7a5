import Foundation
import ParleyDomain
import Testing

@testable import ParleyConnectors

@Suite("Mailgun connector and channel outcomes")
struct MailgunConnectorTests {
    let ids = ResourceIDGenerator()

    func job(_ payload: [String: String]) -> ChannelJob {
        ChannelJob(id: ids.next(), appId: ids.next(), integrationId: ids.next(), clientId: ids.next(), activatesClient: true, payload: payload)
    }

    @Test("A Parley attachment goes with the email up to 10 MB and only for its own app's jobs; larger, as a link")
    func attachedSizes() {
        let job = job(["to": "a@b.io", "contentType": "file"])
        func attachment(size: Int64, app: ResourceID? = nil) -> ParleyDomain.Attachment {
            ParleyDomain.Attachment(
                token: AttachmentToken.random(), appId: app ?? job.appId, forMessage: true, mediaType: "application/zip", fileName: "a.zip",
                size: size, digest: "d", createdAt: .now())
        }
        #expect(MailgunConnector.attaches(attachment(size: 10 * 1024 * 1024), to: job))
        #expect(!MailgunConnector.attaches(attachment(size: 10 * 1024 * 1024 + 1), to: job))
        #expect(!MailgunConnector.attaches(attachment(size: 1, app: ids.next()), to: job))
    }

    @Test("Text is HTML-escaped for html; htmlText wins when present; Reply-To is the incoming address")
    func form() {
        let plain = Dictionary(uniqueKeysWithValues: MailgunConnector.form(
            job(["to": "a@b.io", "subject": "Hi", "text": "1 < 2 & \"3\""]), from: "from@x.io", replyTo: "in@x.io"))
        #expect(plain["html"] == "1 &lt; 2 &amp; &quot;3&quot;")
        #expect(plain["text"] == "1 < 2 & \"3\"")
        #expect(plain["from"] == "from@x.io" && plain["h:Reply-To"] == "in@x.io" && plain["to"] == "a@b.io" && plain["subject"] == "Hi")
        let rich = Dictionary(uniqueKeysWithValues: MailgunConnector.form(
            job(["to": "a@b.io", "text": "Hi", "htmlText": "<p><strong>Hi</strong></p>"]), from: "f@x.io", replyTo: "in@x.io"))
        #expect(rich["html"] == "<p><strong>Hi</strong></p>")
        let image = Dictionary(uniqueKeysWithValues: MailgunConnector.form(
            job(["to": "a@b.io", "mediaUrl": "https://x.io/a.png"]), from: "f@x.io", replyTo: "in@x.io"))
        #expect(image["text"] == "https://x.io/a.png")
        #expect(image["html"]?.contains(#"<img src="https://x.io/a.png""#) == true)
    }

    @Test("Form encoding escapes everything but unreserved characters")
    func urlEncoding() {
        #expect(FormEncoding.urlEncoded([("h:Reply-To", "Support <in@x.io>"), ("text", "a+b & c=d")])
            == "h%3AReply-To=Support%20%3Cin%40x.io%3E&text=a%2Bb%20%26%20c%3Dd")
    }

    @Test("2xx accepted; 4xx but 429 final; 429, 5xx and no answer retried; the last attempt is final")
    func outcomes() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 1)
        let now = Timestamp.now()
        func state(_ status: Int?, attempts: Int = 1, permanent: Bool = false) -> DeliveryOutcome.State {
            ChannelDispatcher.outcome(policy, attempts: attempts, statusCode: status, error: status == nil ? "timeout" : nil,
                                      permanent: permanent, at: now, jitter: 0).state
        }
        #expect(state(200) == .delivered)
        #expect(state(202) == .delivered)
        for final in [400, 401, 402, 404, 422] { #expect(state(final) == .dead, "\(final)") }
        for retried in [429, 500, 502, 503] { #expect(state(retried) == .pending, "\(retried)") }
        #expect(state(nil) == .pending)
        #expect(state(nil, permanent: true) == .dead)
        #expect(state(500, attempts: 3) == .dead)
    }
}

import Foundation
import ParleyDomain
import ParleyWire
import Testing

@testable import ParleyConnectors

@Suite("Mailgun inbound: signature, forms, quoted text, reply routing")
struct MailgunInboundTests {
    @Test("A signature made with the key is valid; another key, a changed token or an old timestamp is not")
    func signature() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let timestamp = "1790000000"
        let signed = MailgunSignature.sign(timestamp: timestamp, token: "tok-1", key: "key-abc")
        // Computed independently: HMAC-SHA256("key-abc", "1790000000tok-1").
        #expect(signed.count == 64)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-1", signature: signed).verify(key: "key-abc", now: now) == .valid)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-1", signature: signed.uppercased()).verify(key: "key-abc", now: now) == .valid)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-1", signature: signed).verify(key: "key-xyz", now: now) == .forged)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-2", signature: signed).verify(key: "key-abc", now: now) == .forged)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-1", signature: "zz").verify(key: "key-abc", now: now) == .forged)
        #expect(MailgunSignature(timestamp: "soon", token: "tok-1", signature: signed).verify(key: "key-abc", now: now) == .forged)
        let old = now.addingTimeInterval(MailgunSignature.replayWindowSeconds + 1)
        #expect(MailgunSignature(timestamp: timestamp, token: "tok-1", signature: signed).verify(key: "key-abc", now: old) == .stale)
    }

    @Test("The signature equals an independent computation (Python's hmac module)")
    func signatureKnownAnswer() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'key',b'1t',hashlib.sha256).hexdigest())"
        #expect(MailgunSignature.sign(timestamp: "1", token: "t", key: "key") == "be95ad91d483a9b9ca7795394fbf2ccd1e986a8768402c51c993eac9c29b66f1")
    }

    @Test("URL-encoded and multipart forms give the same fields; file parts are skipped")
    func forms() throws {
        let encoded = FormFields(
            contentType: "application/x-www-form-urlencoded",
            body: Array("from=Steve+B+%3Csteveb%40channel5.com%3E&body-plain=Hi%20there&empty=".utf8))
        #expect(encoded?["from"] == "Steve B <steveb@channel5.com>")
        #expect(encoded?["body-plain"] == "Hi there")
        #expect(encoded?["empty"] == "")
        let boundary = "XyZ"
        let multipart = [
            "--XyZ", "Content-Disposition: form-data; name=\"from\"", "", "Steve B <steveb@channel5.com>",
            "--XyZ", "Content-Disposition: form-data; name=\"body-plain\"", "", "Line one", "Line two",
            "--XyZ", "Content-Disposition: form-data; name=\"attachment-1\"; filename=\"a.bin\"", "Content-Type: application/octet-stream", "", "BINARY",
            "--XyZ--", "",
        ].joined(separator: "\r\n")
        let fields = try #require(FormFields(contentType: "multipart/form-data; boundary=\"\(boundary)\"", body: Array(multipart.utf8)))
        #expect(fields["from"] == "Steve B <steveb@channel5.com>")
        #expect(fields["body-plain"] == "Line one\r\nLine two")
        #expect(fields["attachment-1"] == nil)
        #expect(FormFields(contentType: "application/json", body: Array("{}".utf8)) == nil)
        #expect(FormFields(contentType: "multipart/form-data; boundary=nope", body: Array("garbage".utf8)) == nil)
    }

    @Test("Quoted history, quote marks and signatures are cut from a reply")
    func quotedText() {
        #expect(QuotedReply.strip("Sounds good!\n\nOn Tue, 24 Nov 2026 at 10:02, Parley <support@mg.example.com> wrote:\n> Hello!\n") == "Sounds good!")
        #expect(QuotedReply.strip("Yes please\r\n\r\nOn Tue, 24 Nov 2026 at 10:02 Parley <support@mg.example.com>\r\nwrote:\r\n> Hi") == "Yes please")
        #expect(QuotedReply.strip("Thanks\n-----Original Message-----\nFrom: Support\nHello") == "Thanks")
        #expect(QuotedReply.strip("Thanks\n\nFrom: Support <s@x.io>\nSent: Monday\nSubject: Hi") == "Thanks")
        #expect(QuotedReply.strip("See below\n> quoted\nmine\n-- \nSteve\nCEO") == "See below\nmine")
        #expect(QuotedReply.strip("On my way, will call.") == "On my way, will call.")
        #expect(QuotedReply.strip("> only quoted") == "")
    }

    @Test("Replies carry the conversation in the Reply-To tag, and the tag is read back")
    func replyRouting() {
        let conversation = ResourceID("5f0b2f1e8a1b2c3d4e5f6a7b")!
        let address = MailgunConnector.replyAddress("support@mg.example.com", conversationId: conversation)
        #expect(address == "support+5f0b2f1e8a1b2c3d4e5f6a7b@mg.example.com")
        #expect(MailgunConnector.conversationTag(ofRecipient: address) == conversation)
        #expect(MailgunConnector.conversationTag(ofRecipient: "support@mg.example.com") == nil)
        #expect(MailgunConnector.conversationTag(ofRecipient: "support+nonsense@mg.example.com") == nil)
        #expect(MailgunConnector.replyAddress("support@mg.example.com", conversationId: nil) == "support@mg.example.com")
    }

    @Test("Senders are read from From headers and lowercased")
    func mailboxes() {
        #expect(MailgunInbox.mailbox("Steve B <SteveB@Channel5.com>")! == ("steveb@channel5.com", "Steve B"))
        #expect(MailgunInbox.mailbox("\"B, Steve\" <steveb@channel5.com>")! == ("steveb@channel5.com", "B, Steve"))
        #expect(MailgunInbox.mailbox("steveb@channel5.com")! == ("steveb@channel5.com", nil))
        #expect(MailgunInbox.mailbox("nobody") == nil)
        #expect(MailgunInbox.mailbox("<@x>") == nil)
    }
}

import Foundation
import Testing

@testable import ParleyConnectors
@testable import ParleyDomain
@testable import ParleyWire
@testable import ParleyHTTP

/// Wrong answers the fuzz suites found, each reduced to its smallest input and kept as a plain
/// test once fixed. (Traps and hangs they found are tested where the fix lives: MarkdownTests,
/// HostileInputTests.)
@Suite("Fuzz: findings, reduced")
struct FuzzFindingsTests {
    @Test("Timestamp: an offset may not carry 0000-01-01 or 9999-12-31 out of the years 0000–9999")
    func timestampOutOfRange() {
        for text in ["0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"] {
            #expect(Timestamp(iso8601: text) == nil, "\(text)")
        }
    }

    @Test("MailgunSignature: a hex pair \"+h\" or \"-0\" is not a byte, so a signature has one spelling")
    func mailgunSignatureSigns() throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        /// A token whose signature has a byte 0x00 (pair "00"): both spellings apply to it.
        let token = try #require((0..<10_000).map { "t\($0)" }.first { token in
            let pairs = Array(MailgunSignature.sign(timestamp: "1790000000", token: token, key: "k").utf8)
            return stride(from: 0, to: pairs.count, by: 2).contains { pairs[$0] == UInt8(ascii: "0") && pairs[$0 + 1] == UInt8(ascii: "0") }
        })
        var pairs = Array(MailgunSignature.sign(timestamp: "1790000000", token: token, key: "k").utf8)
        #expect(MailgunSignature(timestamp: "1790000000", token: token, signature: String(decoding: pairs, as: UTF8.self)).verify(key: "k", now: now) == .valid)
        let at = try #require(stride(from: 0, to: pairs.count, by: 2).first { pairs[$0] == UInt8(ascii: "0") && pairs[$0 + 1] == UInt8(ascii: "0") })
        for sign in ["+", "-"] {
            pairs[at] = UInt8(ascii: Unicode.Scalar(sign)!)
            let respelled = String(decoding: pairs, as: UTF8.self)
            #expect(MailgunSignature(timestamp: "1790000000", token: token, signature: respelled).verify(key: "k", now: now) == .forged, "\(respelled)")
        }
    }

    @Test("Basic: a mark that combines with the colon is part of the secret, so \"id:\\u{301}secret\" is not the key's credential")
    func basicSecretAfterCombiningMark() async throws {
        let (authenticator, keys) = try await AuthenticatorFuzzTests.setUp()
        let header = "Basic " + Data("\(keys[0].id):\u{301}\(keys[0].secret)".utf8).base64EncodedString()
        await #expect(throws: ParleyError.self) { try await authenticator.authenticate(authorization: header) }
        let own = "Basic " + Data("\(keys[0].id):\(keys[0].secret)".utf8).base64EncodedString()
        #expect(try await authenticator.authenticate(authorization: own).keyId.rawValue == keys[0].id)
    }

    @Test("Percent-decoding: %A9 (a lone continuation byte) is malformed, 400; a leading U+FEFF is kept")
    func percentDecoding() throws {
        #expect(throws: ParleyError.self) { try PathParameters(names: ["userIdOrExternalId"], values: ["%A9"]).decoded() }
        let decoded = try PathParameters(names: ["userIdOrExternalId"], values: ["%EF%BB%BFabc"]).decoded()
        #expect(decoded["userIdOrExternalId"] == "\u{FEFF}abc")
        #expect(FormFields(contentType: "application/x-www-form-urlencoded", body: Array("%A9=a".utf8)) == nil)
        #expect(FormFields(contentType: "application/x-www-form-urlencoded", body: Array("%EF%BB%BFa=b+c%21".utf8))?["\u{FEFF}a"] == "b c!")
    }

    @Test("ContentRules keeps only the known keys inside the objects it reads (location, coordinates, displaySettings, extraChannelOptions)")
    func unknownKeysInKeptObjects() throws {
        let content: JSONValue = .object([
            "type": .string("location"), "coordinates": .object(["lat": .integer(1), "long": .integer(2), "alt": .integer(3)]),
            "location": .object(["address": .string("a"), "x": .string("a\u{0}b")]),
        ])
        let validated = try ContentRules.validate(content, schema: nil)
        #expect(HostileJSON.nulField(validated) == nil, "\(HostileJSON.text(validated))")
        guard case .object(let fields) = validated else {
            Issue.record("not an object")
            return
        }
        #expect(fields["coordinates"] == .object(["lat": .integer(1), "long": .integer(2)]))
        #expect(fields["location"] == .object(["address": .string("a")]))
    }

    @Test("Markdown: a < or quote in one Character with a mark (U+0301 after, U+0600 before) is escaped all the same")
    func markdownEscapesByScalar() throws {
        for markdown in ["\u{600}<img src=x onerror=alert(1)//", "![x](https://a\"\u{301}/onerror=alert`1`//)",
                         "[x](https://a\"\u{301}/onmouseover=alert`1`//)", "<\u{301}script>"] {
            let validated = try ContentRules.validate(.object(["type": .string("text"), "markdownText": .string(markdown)]), schema: nil)
            guard case .object(let fields) = validated, case .string(let html)? = fields["htmlText"] else {
                Issue.record("no htmlText for \(markdown.debugDescription)")
                continue
            }
            #expect(DomainRulesFuzzTests.unsafeHTML(html) == nil, "\(markdown.debugDescription) renders \(html.debugDescription)")
        }
    }

    @Test("Email and URI: a space behind a prepended mark (U+0600) is still whitespace, though the two make one Character")
    func whitespaceBehindPrependedMark() {
        #expect(throws: ParleyError.self) { try Rules.email("x@y.\u{600} z", field: "email") }
        #expect(throws: ParleyError.self) { try Rules.uri("https://x.io/\u{600} a", field: "uri") }
        #expect(throws: Never.self) { try Rules.email("x@y.z", field: "email") }
    }

    @Test("Mailgun's sender needs exactly one @; Content-Disposition parameters split on the byte ; only")
    func mailboxAndSemicolons() {
        #expect(MailgunInbox.mailbox("a@b@") == nil && MailgunInbox.mailbox("x@y@z") == nil)
        #expect(MailgunInbox.mailbox("Steve <steve@example.com>")?.address == "steve@example.com")
        let body = "--b\r\nContent-Disposition: form-data; name=\"a\u{37E} filename=x\"\r\n\r\nv\r\n--b--\r\n"
        let form = FormFields(contentType: "multipart/form-data; boundary=b", body: Array(body.utf8))
        #expect(form?["a\u{37E} filename=x"] == "v", "\(String(describing: form?.values))")
    }

    @Test("A body nested deeper than 64 levels is refused before any parser reads it; a multipart body of dashes is scanned in linear time", .timeLimit(.minutes(1)))
    func costlyBodies() {
        let deep = Array(("{\"a\":" + String(repeating: "[", count: 65) + String(repeating: "]", count: 65) + "}").utf8)
        #expect(deep.withUnsafeBytes { JSONParser.nestsDeeper(than: 64, $0) })
        let fine = Array(("{\"a\":\"[[[[\\\"" + String(repeating: "[", count: 64) + "\"}").utf8)
        #expect(!fine.withUnsafeBytes { JSONParser.nestsDeeper(than: 64, $0) })
        let dashes = [UInt8](repeating: UInt8(ascii: "-"), count: 4_000_000)
        #expect(FormFields(contentType: "multipart/form-data; boundary=" + String(repeating: "-", count: 69) + "x", body: dashes) == nil)
    }

    @Test("513 opening brackets and nothing else trap Foundation's JSONDecoder; every reader Parley uses refuses them with a DecodingError")
    func foundationTrapsOnDeepDocumentEnd() throws {
        // Foundation traps while describing where its depth limit (512) was hit when that is the
        // document's last byte; so no reader may hand it a document deeper than ours (64).
        for document in [String(repeating: "[", count: 513), "{\"a\":" + String(repeating: "[", count: 512), String(repeating: "[", count: 65)] {
            let data = Data(document.utf8)
            #expect(throws: DecodingError.self) { try BoundedJSONDecoder.decode(JSONValue.self, from: data) }
            #expect(throws: DecodingError.self) { try BoundedJSONDecoder.decode([String: String].self, from: data) }
            #expect(throws: DecodingError.self) { try JSONParser.decode(data) }
            #expect(throws: DecodingError.self) { try JSONColumn.decode(Metadata.self, document) }
            #expect(throws: DecodingError.self) { try JSONColumn.decode(JSONValue.self, document) }
        }
        // 64 levels are read, by the parser and by Foundation alike.
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(JSONParser.parse(deepest) != nil)
        #expect(throws: Never.self) { try BoundedJSONDecoder.decode(JSONValue.self, from: Data(deepest.utf8)) }
    }
}

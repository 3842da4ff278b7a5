import Foundation
import Testing

@testable import ParleyConnectors
@testable import ParleyDomain
@testable import ParleyHTTP

/// Wrong answers the fuzz suites found, each reduced to its smallest input. Each is a known issue:
/// the suite passes while the fault is there, and fails ("known issue was not recorded") once it
/// is fixed, so the fix also removes the `withKnownIssue` here and the leniency the fuzz oracle
/// has for it (named in each comment). Traps and hangs cannot be kept here: they are in the report.
@Suite("Fuzz: known issues, reduced")
struct KnownIssuesTests {
    @Test("Timestamp: an offset can carry 0000-01-01 or 9999-12-31 out of 0000–9999, and iso8601 then writes no datetime")
    func timestampOutOfRange() {
        // Also TimestampAndIDFuzzTests.timestamps, which counts these as "year outside 0000-9999".
        for text in ["0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"] {
            withKnownIssue("Timestamp.iso8601 pads a negative or 5-digit year: \"00-1-12-31T23:59:00.000Z\", \"10000-01-01T00:00:59.000Z\"") {
                guard let parsed = Timestamp(iso8601: text) else { return }
                #expect(Timestamp(iso8601: parsed.iso8601) == parsed, "\(text) is written \(parsed.iso8601)")
            }
        }
    }

    @Test("MailgunSignature: a hex pair \"+h\" or \"-0\" is read as a byte, so one signature has many spellings")
    func mailgunSignatureSigns() throws {
        // Also MailgunFuzzTests.plusAsZero, the oracle's matching leniency.
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        /// A token whose signature has a byte 0x00 (pair "00"): both spellings apply to it.
        let token = try #require((0..<10_000).map { "t\($0)" }.first { token in
            let pairs = Array(MailgunSignature.sign(timestamp: "1790000000", token: token, key: "k").utf8)
            return stride(from: 0, to: pairs.count, by: 2).contains { pairs[$0] == UInt8(ascii: "0") && pairs[$0 + 1] == UInt8(ascii: "0") }
        })
        var pairs = Array(MailgunSignature.sign(timestamp: "1790000000", token: token, key: "k").utf8)
        let at = try #require(stride(from: 0, to: pairs.count, by: 2).first { pairs[$0] == UInt8(ascii: "0") && pairs[$0 + 1] == UInt8(ascii: "0") })
        for sign in ["+", "-"] {
            pairs[at] = UInt8(ascii: Unicode.Scalar(sign)!)
            let respelled = String(decoding: pairs, as: UTF8.self)
            withKnownIssue("UInt8(\"+0\", radix: 16) and UInt8(\"-0\", radix: 16) are 0") {
                #expect(MailgunSignature(timestamp: "1790000000", token: token, signature: respelled).verify(key: "k", now: now) == .forged, "\(respelled)")
            }
        }
    }

    @Test("Basic: marks that combine with the colon are skipped, so \"id:\\u{301}secret\" is the key's own credential")
    func basicSecretAfterCombiningMark() async throws {
        // Also AuthenticatorFuzzTests.isOwnCredentialAfterCombiningMarks, the oracle's matching leniency.
        let (authenticator, keys) = try await AuthenticatorFuzzTests.setUp()
        let header = "Basic " + Data("\(keys[0].id):\u{301}\(keys[0].secret)".utf8).base64EncodedString()
        await withKnownIssue("Authenticator.basic cuts the secret at decoded.index(after: colon), a Character index") {
            await #expect(throws: ParleyError.self) { try await authenticator.authenticate(authorization: header) }
        }
    }

    @Test("Percent-decoding: %A9 (a lone continuation byte) becomes U+FFFD instead of a 400; a leading U+FEFF is dropped")
    func percentDecoding() throws {
        // Foundation's removingPercentEncoding on Linux; also FormFieldsFuzzTests.percentDecodedAsFoundationDoes
        // and withoutLeadingBOM, the oracles' matching leniencies.
        withKnownIssue("\"%A9\".removingPercentEncoding is \"\\u{FFFD}\" (\"%80\" and \"%FF\" are nil)") {
            #expect(throws: ParleyError.self) { try PathParameters(names: ["userIdOrExternalId"], values: ["%A9"]).decoded() }
        }
        withKnownIssue("\"%EF%BB%BFabc\".removingPercentEncoding is \"abc\"") {
            let decoded = try PathParameters(names: ["userIdOrExternalId"], values: ["%EF%BB%BFabc"]).decoded()
            #expect(decoded["userIdOrExternalId"] == "\u{FEFF}abc")
        }
    }

    @Test("ContentRules keeps unknown keys inside the objects it reads, U+0000 included")
    func nulInKeptObjects() throws {
        // Also DomainRulesFuzzTests.keptWhole, the paths the fuzz oracle does not look into.
        let content: JSONValue = .object([
            "type": .string("location"), "coordinates": .object(["lat": .integer(1), "long": .integer(2)]),
            "location": .object(["address": .string("a"), "x": .string("a\u{0}b")]),
        ])
        let validated = try ContentRules.validate(content, schema: nil)
        withKnownIssue("content.location.x is stored and answered as sent") {
            #expect(HostileJSON.nulField(validated) == nil, "\(HostileJSON.text(validated))")
        }
    }

    @Test("Markdown: a < or quote in one Character with a mark (U+0301 after, U+0600 before) is not escaped: raw tags and attributes")
    func markdownEscapesByCharacter() throws {
        // Also the known issue DomainRulesFuzzTests.contentRules reports through unsafeHTML. The
        // first renders <p>؀<img src=x onerror=alert(1)//</p>; the second and third end the
        // src or href attribute early, so the rest of the URL becomes attributes.
        for markdown in ["\u{600}<img src=x onerror=alert(1)//", "![x](https://a\"\u{301}/onerror=alert`1`//)",
                         "[x](https://a\"\u{301}/onmouseover=alert`1`//)", "<\u{301}script>"] {
            let validated = try ContentRules.validate(.object(["type": .string("text"), "markdownText": .string(markdown)]), schema: nil)
            guard case .object(let fields) = validated, case .string(let html)? = fields["htmlText"] else {
                Issue.record("no htmlText for \(markdown.debugDescription)")
                continue
            }
            withKnownIssue("escape() compares Characters: \"\\\"\\u{301}\" is one Character, not \"\\\"\"") {
                #expect(DomainRulesFuzzTests.unsafeHTML(html) == nil, "\(markdown.debugDescription) renders \(html.debugDescription)")
            }
        }
    }
}

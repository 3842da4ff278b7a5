import Crypto
import Foundation
import Testing

@testable import ParleyConnectors
@testable import ParleyWire
@testable import ParleyDomain

/// Twilio's calls, piece by piece: the signature (checked before anything else is read) and the
/// reading of opt-out and opt-in keywords.
@Suite("Fuzz: Twilio")
struct TwilioFuzzTests {
    /// base64 HMAC-SHA1 of the URL and the sorted parameters, computed here with swift-crypto directly.
    static func sign(url: String, _ parameters: [(String, String)], token: String) -> Data {
        let text = url + parameters.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) || ($0.0 == $1.0 && $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)) }
            .map { $0.0 + $0.1 }.joined()
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(token.utf8))))
    }

    @Test("TwilioSignature.isValid: valid exactly when the header is base64 of the HMAC over this URL and these parameters")
    func signature() async throws {
        let report = try await Fuzz.run("TwilioSignature.isValid", filter: "TwilioFuzzTests/signature") { random, report in
            let token = random.oneIn(5) ? Hostile.string(&random) : "tok-\(random.below(1000))"
            let url = random.oneIn(4) ? Hostile.string(&random) : "https://parley.example.com/v2/apps/a/integrations/b/inbound/message?x=\(random.below(9))"
            var parameters: [(String, String)] = (0..<random.below(6)).map { _ in
                (random.oneIn(3) ? Hostile.string(&random) : random.pick(["Body", "From", "To", "MessageSid", "NumMedia", "body", "B"]),
                 random.oneIn(2) ? Hostile.string(&random) : random.pick(["Hi", "+12125552368", "", "STOP", "é"]))
            }
            let signed = Self.sign(url: url, parameters, token: token)
            var header: String? = signed.base64EncodedString()
            switch random.below(8) {
            case 0, 1: break
            case 2: header = nil
            case 3: header = Self.sign(url: url + "/", parameters, token: token).base64EncodedString()
            case 4:
                // The parameters changed after signing (a replay with another body).
                parameters.append((random.pick(["Body", "Extra"]), Hostile.string(&random)))
            case 5: header = Hostile.mutate(header ?? "", &random, extra: ["=", "==", "+", "/", "-", "_"])
            case 6: header = Hostile.string(&random)
            default: header = signed.base64EncodedString().dropLast(random.pick([1, 2, 4])).description
            }
            report.trace("url \(Fuzz.show(url)) header \(Fuzz.show(header ?? "-")) parameters \(parameters.count)")
            let valid = TwilioSignature.isValid(header, url: url, parameters: parameters.map { (name: $0.0, value: $0.1) }, authToken: token)
            report.count(valid ? "valid" : "refused")
            let expected = Self.sign(url: url, parameters, token: token)
            let authentic = header.flatMap { Data(base64Encoded: $0) } == expected
            report.expect(valid == authentic, "verdict \(valid) for a header that is\(authentic ? "" : " not") base64 of the HMAC: \(Fuzz.show(header ?? "-"))")
        }
        report.expectReached("valid", atLeast: Fuzz.cases / 10)
        report.expectReached("refused", atLeast: Fuzz.cases / 10)
    }

    @Test("TwilioInbox.consent: only a whole keyword (or OptOutType) is an opt-out or opt-in")
    func consent() async throws {
        let report = try await Fuzz.run("TwilioInbox.consent", filter: "TwilioFuzzTests/consent") { random, report in
            let keywords = Array(TwilioInbox.optOutKeywords) + Array(TwilioInbox.optInKeywords)
            let body: String =
                switch random.below(4) {
                case 0: random.pick(keywords)
                case 1: random.pick(keywords).lowercased() + random.pick(["", " ", "\n", " please", "!"])
                case 2: Hostile.text(from: keywords, &random)
                default: Hostile.string(&random)
                }
            var fields = "Body=\(body.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            if random.oneIn(4) { fields += "&OptOutType=" + random.pick(["STOP", "START", "HELP", "stop", "", "%00"]) }
            report.trace("form \(Fuzz.show(fields))")
            guard let form = FormFields(contentType: "application/x-www-form-urlencoded", body: Array(fields.utf8)) else {
                report.count("unreadable")
                return
            }
            let consent = TwilioInbox.consent(form, text: form["Body"] ?? "")
            report.count(consent.map { "\($0)" } ?? "none")
            if form["OptOutType"] == nil, let consent {
                let word = (form["Body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
                let keywords = consent == .optOut ? TwilioInbox.optOutKeywords : TwilioInbox.optInKeywords
                report.expect(keywords.contains(word), "\(consent) from the body \(Fuzz.show(form["Body"] ?? ""))")
            }
        }
        report.expectReached("optOut")
        report.expectReached("optIn")
        report.expectReached("none")
    }
}

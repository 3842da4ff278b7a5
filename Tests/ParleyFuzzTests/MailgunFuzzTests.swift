import Crypto
import Foundation
import Testing

@testable import ParleyConnectors
@testable import ParleyDomain

/// Mailgun's calls, piece by piece: the signature (checked before anything else), the sender's
/// mailbox, the quoted history cut from a reply, and the conversation tag of the recipient.
@Suite("Fuzz: Mailgun")
struct MailgunFuzzTests {
    /// HMAC-SHA256 as hex, computed here with swift-crypto directly.
    static func sign(_ timestamp: String, _ token: String, key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Strict hex: pairs of ASCII hex digits, nothing else.
    static func strictHex(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        func digit(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var result: [UInt8] = []
        for index in stride(from: 0, to: bytes.count, by: 2) {
            guard let high = digit(bytes[index]), let low = digit(bytes[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }


    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("MailgunSignature.verify: valid only with the key's HMAC and a timestamp within 15 minutes; stale when only the time is wrong")
    func signature() async throws {
        let report = try await Fuzz.run("MailgunSignature.verify", filter: "MailgunFuzzTests/signature") { random, report in
            let key = random.oneIn(5) ? Hostile.string(&random) : "key-\(random.below(1000))"
            let timestamp: String =
                switch random.below(5) {
                case 0, 1: String(Int(Self.now.timeIntervalSince1970) + random.pick([0, -1, 1, -900, 900, -901, 901, -86_400, random.below(2000) - 1000]))
                case 2: random.pick(["1e400", "-1e400", "nan", "NaN", "-nan", "inf", "-inf", "infinity", "1790000000.5", "+1790000000", " 1790000000",
                                     "1790000000 ", "0x6AB0F980", "0x1.aac3e6p30", "1.79e9", "١٧٩٠٠٠٠٠٠٠", "１７９００００００００", "", "-0", "179000000000000000000000"])
                case 3: Hostile.number(&random)
                default: Hostile.text(from: ["1790000000"], &random, extra: Hostile.foreignDigits)
                }
            let token = random.oneIn(4) ? Hostile.string(&random) : String(random.next(), radix: 36)
            var signature = Self.sign(timestamp, token, key: key)
            switch random.below(8) {
            case 0: break
            case 1: signature = signature.uppercased()
            case 2:
                // One hex digit replaced by a character Int parsing might take: a sign, a space, a
                // foreign digit.
                var characters = Array(signature)
                let at = random.below(characters.count)
                characters[at] = random.pick(["+", "-", " ", "0", "g", "٠", "０", "\u{0}", "x"])
                signature = String(characters)
            case 3: signature = String(signature.dropLast(random.pick([1, 2, 64])))
            case 4: signature += random.pick(["0", "00", " ", "\n", signature])
            case 5: signature = Self.sign(timestamp, token, key: key + "x")
            case 6: signature = Hostile.string(&random)
            default: signature = Hostile.mutate(signature, &random, extra: ["+", "-", "0x"])
            }
            report.trace("timestamp \(Fuzz.show(timestamp)) token \(Fuzz.show(token)) signature \(Fuzz.show(signature)) key \(Fuzz.show(key))")
            let verdict = MailgunSignature(timestamp: timestamp, token: token, signature: signature).verify(key: key, now: Self.now)
            report.count("\(verdict)")
            // Independently: strict hex equal to the HMAC, then a finite time within the window.
            let authentic = Self.strictHex(signature).map { Self.strictHex(Self.sign(timestamp, token, key: key)) == $0 } ?? false
            let seconds = Double(timestamp)
            switch verdict {
            case .valid:
                report.expect(authentic, "valid with a signature that is not the strict hex HMAC: \(Fuzz.show(signature))")
                report.expect(seconds.map { $0.isFinite && abs($0 - Self.now.timeIntervalSince1970) <= 900 } == true,
                              "valid with the timestamp \(Fuzz.show(timestamp))")
                let decimal = timestamp.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
                report.count(decimal ? "valid decimal timestamp" : "valid non-decimal timestamp")
            case .stale:
                report.expect(authentic, "stale (not forged) with a signature that is not the strict hex HMAC: \(Fuzz.show(signature))")
            case .forged:
                report.expect(!authentic || seconds == nil, "forged although the signature is the HMAC and the timestamp is a number: \(Fuzz.show(timestamp))")
            }
        }
        report.expectReached("valid", atLeast: Fuzz.cases / 50)
        report.expectReached("stale", atLeast: Fuzz.cases / 50)
    }

    @Test("MailgunInbox.mailbox: an address is lowercase, has text on both sides of an @ and no whitespace, and comes from the header")
    func mailbox() async throws {
        let samples = ["Steve B <SteveB@Channel5.com>", "\"B, Steve\" <steveb@channel5.com>", "steve@example.com", "<a@b>", "Jane <jane@example.com> (work)"]
        let report = try await Fuzz.run("MailgunInbox.mailbox", filter: "MailgunFuzzTests/mailbox") { random, report in
            let header = Hostile.text(from: samples, &random, extra: ["<", ">", "@", "\"", " ", "\t", "\u{A0}", "İ"])
            report.trace(Fuzz.show(header))
            guard let (address, name) = MailgunInbox.mailbox(header) else {
                report.count("nil")
                return
            }
            report.count("mailbox")
            report.expect(address == address.lowercased(), "\(Fuzz.show(address)) is not lowercase")
            report.expect(!address.contains(where: \.isWhitespace), "\(Fuzz.show(address)) holds whitespace")
            // Exactly one @ byte with text on both sides (by bytes: "\u{600}@" is one Character).
            let sides = address.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
            report.expect(sides.count == 2 && !sides[0].isEmpty && !sides[1].isEmpty, "\(Fuzz.show(address)) is not local@domain")
            report.expect(header.lowercased().contains(address), "\(Fuzz.show(address)) is not in \(Fuzz.show(header))")
            if let name { report.expect(!name.isEmpty && header.contains(name), "the name \(Fuzz.show(name)) is not in \(Fuzz.show(header))") }
        }
        report.expectReached("mailbox", atLeast: Fuzz.cases / 20)
    }

    static let quotedSamples = [
        "Sounds good!\n\nOn Tue, 24 Nov 2026 at 10:02, Parley <support@mg.example.com> wrote:\n> Hello!\n",
        "Yes please\r\n\r\nOn Tue, 24 Nov 2026 at 10:02 Parley <support@mg.example.com>\r\nwrote:\r\n> Hi",
        "Thanks\n-----Original Message-----\nFrom: Support\nHello", "Thanks\n\nFrom: Support <s@x.io>\nSent: Monday\nSubject: Hi",
        "See below\n> quoted\nmine\n-- \nSteve\nCEO", "Merci\nLe 1 janv. 2026, Support a écrit :\n> x",
    ]

    @Test("QuotedReply.strip: trimmed, no quote lines, every line from the mail")
    func quotedReply() async throws {
        let report = try await Fuzz.run("QuotedReply.strip", filter: "MailgunFuzzTests/quotedReply") { random, report in
            let text = Hostile.text(from: Self.quotedSamples, &random, extra: ["\n", "\r\n", "> ", "On ", " wrote:", "-- \n", "From: ", "Sent: ", "\r"])
            report.trace(Fuzz.show(text))
            let stripped = QuotedReply.strip(text)
            report.count(stripped.isEmpty ? "empty" : "text")
            report.expect(stripped == stripped.trimmingCharacters(in: .whitespacesAndNewlines), "not trimmed: \(Fuzz.show(stripped))")
            // Kept lines are the mail's own; the first and last may have lost blanks to the trim.
            let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let exact = Set(lines)
            let trimmed = Set(lines.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            for line in stripped.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
                // A line the final trim changed (the first or last) may have started with a blank
                // that is a newline but not whitespace (U+0085, a lone CR): not a quote line to the reader.
                if exact.contains(line) { report.expect(!line.trimmingCharacters(in: .whitespaces).hasPrefix(">"), "kept the quote line \(Fuzz.show(line))") }
                report.expect(exact.contains(line) || trimmed.contains(line.trimmingCharacters(in: .whitespacesAndNewlines)),
                              "the line \(Fuzz.show(line)) is not in the mail \(Fuzz.show(text))")
            }
        }
        report.expectReached("text", atLeast: Fuzz.cases / 10)
    }

    @Test("MailgunConnector.conversationTag: the 24 hex digits between the last + and the last @, or nil")
    func conversationTag() async throws {
        let samples = ["support+5f0b2f1e8a1b2c3d4e5f6a7b@mg.example.com", "support+5F0B2F1E8A1B2C3D4E5F6A7B@mg.example.com", "support@mg.example.com",
                       "a+b+5f0b2f1e8a1b2c3d4e5f6a7b@x@y", "+5f0b2f1e8a1b2c3d4e5f6a7b@"]
        let report = try await Fuzz.run("MailgunConnector.conversationTag", filter: "MailgunFuzzTests/conversationTag") { random, report in
            let recipient = Hostile.text(from: samples, &random, extra: ["+", "@", "\u{301}", "ａ"])
            report.trace(Fuzz.show(recipient))
            guard let tag = MailgunConnector.conversationTag(ofRecipient: recipient) else {
                report.count("nil")
                return
            }
            report.count("tag")
            report.expect(recipient.lowercased().contains("+\(tag.rawValue)@"), "\(tag) is not a +tag@ of \(Fuzz.show(recipient))")
        }
        report.expectReached("tag", atLeast: Fuzz.cases / 20)
    }
}

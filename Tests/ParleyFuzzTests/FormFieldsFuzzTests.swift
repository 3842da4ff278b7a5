import Foundation
import Testing

@testable import ParleyConnectors
@testable import ParleyWire

/// `FormFields`, the reader of Mailgun's posts: urlencoded and multipart bodies, with generated
/// fields, boundaries and headers, and hostile content types. A well-formed form must read back
/// as the fields it was made from; anything else must read as some fields or nil, never trap.
@Suite("Fuzz: form fields")
struct FormFieldsFuzzTests {
    /// Every "+" byte as a space, as forms and queries mean it ("+\u{301}" too, one Character).
    static func plusAsSpace(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// Percent-decoding written independently of Foundation: `%XX` with two hex digits is a byte,
    /// any other `%` fails, and the bytes must be UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index < input.count {
            if input[index] == UInt8(ascii: "%") {
                guard index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Every byte but the unreserved ones as `%XX`: what Mailgun sends.
    static func encoded(_ text: String) -> String {
        text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                String(UnicodeScalar(byte))
            default: String(format: "%%%02X", byte)
            }
        }.joined()
    }

    static func withoutNUL(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" }))
    }

    /// Field names and values: Mailgun's own names, and hostile text.
    static func fields(_ random: inout FuzzRandom) -> [(String, String)] {
        let names = ["from", "sender", "recipient", "subject", "body-plain", "stripped-text", "Message-Id", "timestamp", "token", "signature"]
        return (0..<random.below(8)).map { _ in
            (random.oneIn(3) ? Hostile.string(&random) : random.pick(names), Hostile.string(&random))
        }
    }

    static let urlencodedTypes = [
        "application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencoded; charset=utf-8",
        " application/x-www-form-urlencoded ;", "application/x-www-form-urlencoded;;;",
    ]

    @Test("urlencoded: a well-formed body reads back as its fields; a damaged one as the independent reading of it, or nil")
    func urlencoded() async throws {
        let report = try await Fuzz.run("FormFields urlencoded", filter: "FormFieldsFuzzTests/urlencoded") { random, report in
            let fields = Self.fields(&random)
            let wellFormed = fields.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
            var body = Array(wellFormed.utf8)
            let damaged = !random.oneIn(3)
            if damaged {
                body = random.oneIn(4) ? Hostile.bytes(&random)
                    : Hostile.mutate(body, &random, extra: ["%", "%0", "%zz", "%FF", "%00", "+", "=", "&", "&&", "==", ";", "%C3"].map { Array($0.utf8) })
            }
            let contentType = random.oneIn(10) ? Hostile.string(&random) : random.pick(Self.urlencodedTypes)
            report.trace("\(Fuzz.show(contentType)) \(Fuzz.show(body))")
            let form = FormFields(contentType: contentType, body: body)
            report.count(form == nil ? "nil" : "fields")
            guard Self.urlencodedTypes.contains(contentType) else { return }
            if let form { report.expect(!form.values.contains { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }, "a field holds U+0000") }
            if !damaged {
                // Later fields win, as they do in the reader.
                var expected: [String: String] = [:]
                for (name, value) in fields { expected[Self.withoutNUL(name)] = Self.withoutNUL(value) }
                if let form {
                    for (name, value) in expected where fields.filter({ Self.withoutNUL($0.0) == name }).count == 1 {
                        report.expect(form[name] == value, "\(Fuzz.show(name)) read as \(form[name].map(Fuzz.show) ?? "nil"), sent \(Fuzz.show(value))")
                    }
                } else {
                    report.fail("a well-formed body read as nil: \(Fuzz.show(body))")
                }
                return
            }
            // The same reading, written independently: pairs on "&", name and value on the first
            // "=", "+" for space; a name that does not decode makes the whole form nil.
            guard let text = String(validating: body, as: UTF8.self) else { return }
            var expected: [String: String]? = [:]
            // Split on bytes: a Character split would take U+037E for ";" and miss an "&" a mark follows.
            for pair in text.utf8.split(separator: UInt8(ascii: "&")).map({ String(decoding: $0, as: UTF8.self) }) {
                let halves = pair.utf8.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
                guard let name = Self.percentDecoded(Substring(Self.plusAsSpace(halves[0]))) else {
                    expected = nil
                    break
                }
                expected?[name] = halves.count > 1 ? Self.percentDecoded(Substring(Self.plusAsSpace(halves[1]))) ?? "" : ""
            }
            switch (form, expected) {
            case (nil, nil): report.count("both nil")
            case (let form?, let expected?):
                for (name, value) in expected where !name.utf8.contains(0) {
                    // Names equal once their NULs are dropped may take each other's value.
                    guard expected.keys.filter({ Self.withoutNUL($0) == name }).count == 1 else { continue }
                    report.expect(form[name] == Self.withoutNUL(value),
                                  "\(Fuzz.show(name)) read as \(form[name].map(Fuzz.show) ?? "nil"), expected \(Fuzz.show(value)) in \(Fuzz.show(body))")
                }
            case (nil, _?): report.fail("nil for \(Fuzz.show(body)), which reads as fields")
            case (_?, nil): report.fail("fields for \(Fuzz.show(body)), whose names do not all decode")
            }
        }
        report.expectReached("fields", atLeast: Fuzz.cases / 4)
    }

    /// A boundary as RFC 2046 allows (bchars, no trailing space), sometimes quoted in the header.
    static func boundary(_ random: inout FuzzRandom) -> String {
        let bchars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ")
        var text = String((0..<(1 + random.below(40))).map { _ in random.pick(bchars) })
        while text.hasSuffix(" ") { text.removeLast() }
        return text.isEmpty ? "b" : text
    }

    @Test("multipart: a well-formed body reads back as its text parts (file parts skipped); a damaged one as fields or nil")
    func multipart() async throws {
        let report = try await Fuzz.run("FormFields multipart", filter: "FormFieldsFuzzTests/multipart") { random, report in
            let boundary = Self.boundary(&random)
            // Names the Content-Disposition grammar can carry: no quotes, ";", CR or LF, no blanks at the ends.
            let names = Self.fields(&random).map { name, value -> (String, [UInt8], Bool) in
                // By scalar, as the reader reads the header's bytes: no quote, CR or LF in a
                // quoted name (a ";" inside the quotes is part of it).
                var name = String(String.UnicodeScalarView(name.unicodeScalars.filter { !["\"", "\r", "\n"].contains($0) }))
                name = name.trimmingCharacters(in: .whitespaces)
                let bytes = random.oneIn(4) ? Hostile.bytes(&random) : Array(value.utf8)
                return (name.isEmpty ? "n" : name, bytes, random.oneIn(6))
            }
            var body: [UInt8] = random.oneIn(3) ? Array("preamble \(Hostile.string(&random))\r\n".utf8) : []
            let delimiter = Array("--\(boundary)".utf8)
            var delimiters: [Int] = []
            for (name, value, isFile) in names {
                delimiters.append(body.count)
                body += Array("--\(boundary)\r\n".utf8)
                var headers = "Content-Disposition: form-data; name=\"\(name)\""
                if isFile { headers += "; filename=\"a.bin\"" }
                if random.oneIn(3) { headers = "Content-Type: text/plain; charset=utf-8\r\n" + headers }
                body += Array("\(headers)\r\n\r\n".utf8) + value + [13, 10]
            }
            delimiters.append(body.count)
            body += Array("--\(boundary)--\r\n".utf8)
            // A preamble or value holding the delimiter makes another part: not well-formed.
            let ambiguous = Self.occurrences(of: delimiter, in: body) != delimiters
            let damaged = random.oneIn(2)
            if damaged {
                body = Hostile.mutate(body, &random, extra: [Array("--\(boundary)".utf8), Array("\r\n\r\n".utf8), Array("--".utf8), [13, 10]])
            }
            var contentType = "multipart/form-data; boundary=" + (random.oneIn(2) ? "\"\(boundary)\"" : boundary)
            let hostileType = random.oneIn(8)
            if hostileType { contentType = Hostile.mutate(contentType, &random, extra: [";", "boundary=", "\"", " "]) }
            report.trace("\(Fuzz.show(contentType)) \(Fuzz.show(body))")
            let form = FormFields(contentType: contentType, body: body)
            report.count(form == nil ? "nil" : "fields")
            if let form { report.expect(!form.values.contains { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }, "a field holds U+0000") }
            // A form of no parts is not multipart (RFC 2046 asks for one at least): nil is fine.
            guard !damaged, !ambiguous, !hostileType, !names.isEmpty else { return }
            report.count("checked")
            guard let form else {
                report.fail("a well-formed body read as nil: \(contentType) \(Fuzz.show(body))")
                return
            }
            var expected: [String: String] = [:]
            for (name, value, isFile) in names where !isFile {
                expected[Self.withoutNUL(name)] = Self.withoutNUL(String(decoding: value, as: UTF8.self))
            }
            for (name, value) in expected where names.filter({ Self.withoutNUL($0.0) == name }).count == 1 {
                report.expect(form[name] == value, "\(Fuzz.show(name)) read as \(form[name].map(Fuzz.show) ?? "nil"), sent \(Fuzz.show(value))")
            }
            for (name, _, isFile) in names where isFile && names.filter({ $0.0 == name }).count == 1 {
                report.expect(form[name] == nil, "the file part \(Fuzz.show(name)) was read as text")
            }
        }
        report.expectReached("checked", atLeast: Fuzz.cases / 5)
    }

    /// Where `needle` occurs, scanning on after each match.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        var found: [Int] = []
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }

    @Test("Any content type and any body: fields or nil")
    func anything() async throws {
        let types = ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=--",
                     "application/json", "", ";", "text/plain"] + Self.urlencodedTypes
        let report = try await Fuzz.run("FormFields any", filter: "FormFieldsFuzzTests/anything") { random, report in
            let contentType = random.oneIn(2) ? random.pick(types) : Hostile.text(from: types, &random, extra: ["boundary=", ";", "\"", "="])
            let body = random.oneIn(2) ? Hostile.bytes(&random) : Hostile.mutate(Array("--\(contentType)\r\n\r\n--".utf8), &random)
            report.trace("\(Fuzz.show(contentType)) \(Fuzz.show(body))")
            let form = FormFields(contentType: contentType, body: body)
            report.count(form == nil ? "nil" : "fields")
            if let form { report.expect(!form.values.contains { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }, "a field holds U+0000") }
        }
        report.expectReached("fields")
    }
}

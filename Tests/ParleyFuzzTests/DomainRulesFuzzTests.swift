import Foundation
import Testing

@testable import ParleyDomain
@testable import ParleyWire

/// The domain's readers of JSON bodies: message content, metadata, phone numbers and the field
/// rules. Each gets `JSONValue` trees shaped like real bodies (the right keys, hostile values and
/// kinds) and hostile strings; each must answer a value or a 400 `ParleyError`, and what it
/// answers must satisfy the rule it implements.
@Suite("Fuzz: domain rules")
struct DomainRulesFuzzTests {
    static func isBadRequest(_ error: any Error) -> Bool {
        (error as? ParleyError)?.kind == .badRequest && (error as? ParleyError)?.code == "bad_request"
    }

    // MARK: ContentRules

    static let action: [String: JSONValue] = ["type": .string("link"), "text": .string("Open"), "uri": .string("https://example.com")]
    static let actions: [JSONValue] = [
        .object(action),
        .object(["type": .string("buy"), "text": .string("Buy"), "amount": .integer(1000), "currency": .string("USD"),
                 "metadata": .object(["sku": .string("a1")])]),
        .object(["type": .string("postback"), "text": .string("Yes"), "payload": .string("YES")]),
        .object(["type": .string("reply"), "text": .string("Hi"), "payload": .string("HI"), "iconUrl": .string("https://example.com/i.png")]),
        .object(["type": .string("locationRequest"), "text": .string("Where?")]),
        .object(["type": .string("webview"), "text": .string("Form"), "uri": .string("https://example.com/w"), "fallback": .string("https://example.com"),
                 "size": .string("tall"), "openOnReceive": .bool(true), "default": .bool(false),
                 "extraChannelOptions": .object(["messenger": .object(["messenger_extensions": .bool(true), "webview_share_button": .string("hide")])])]),
    ]
    static let item: JSONValue = .object([
        "title": .string("Shirt"), "description": .string("Blue"), "mediaUrl": .string("https://example.com/s.png"), "mediaType": .string("image/png"),
        "altText": .string("A shirt"), "size": .string("large"), "metadata": .object(["k": .integer(1)]), "actions": .array([.object(action)]),
    ])

    /// One valid content of every type the API accepts (and two it refuses by rule).
    static let contents: [JSONValue] = [
        .object(["type": .string("text"), "text": .string("Hello"), "actions": .array(actions), "payload": .string("p"), "blockChatInput": .bool(false)]),
        .object(["type": .string("text"), "markdownText": .string("**Hi** _there_ [link](https://example.com)\n\n- a\n- b")]),
        .object(["type": .string("text"), "htmlText": .string("<p>Hi<br>there &amp; you</p>")]),
        .object(["type": .string("image"), "mediaUrl": .string("https://example.com/a.png"), "altText": .string("a"), "text": .string("t"),
                 "actions": .array([.object(action)])]),
        .object(["type": .string("file"), "mediaUrl": .string("https://example.com/a.pdf"), "text": .string("A file"), "attachmentId": .string("x")]),
        .object(["type": .string("carousel"), "items": .array([item, item]), "displaySettings": .object(["imageAspectRatio": .string("square")])]),
        .object(["type": .string("list"), "items": .array([item]), "actions": .array([.object(action)])]),
        .object(["type": .string("location"), "coordinates": .object(["lat": .double(45.5), "long": .double(-73.56)]),
                 "location": .object(["address": .string("1 Main St"), "name": .string("Office")])]),
        .object(["type": .string("form"), "text": .string("Tell us"), "fields": .array([
            .object(["type": .string("text"), "name": .string("name"), "label": .string("Name"), "placeholder": .string("Ann"),
                     "minSize": .integer(1), "maxSize": .integer(30)]),
            .object(["type": .string("email"), "name": .string("email"), "label": .string("Email")]),
            .object(["type": .string("select"), "name": .string("size"), "label": .string("Size"),
                     "options": .array([.object(["label": .string("Small"), "name": .string("s")]), .object(["label": .string("Large"), "name": .string("l")])])]),
        ])]),
        .object(["type": .string("template"), "template": .object(["name": .string("welcome"), "language": .object(["code": .string("en")])])]),
        .object(["type": .string("formResponse"), "fields": .array([])]),
    ]

    /// Markdown that has tripped Markdown parsers: unclosed emphasis and links, nested lists,
    /// fences, tables, HTML, entities, odd line ends.
    static let markdownFragments = [
        "*", "**", "***", "_", "__", "~~", "`", "``", "```", "```swift\n", "\n```", "#", "###### ", "####### ", "> ", ">>", "- ", "* ", "+ ",
        "1. ", "1) ", "99999999999. ", "    ", "\t", "\n", "\n\n", "\r", "\r\n", "---", "***\n", "===", "|", "| a | b |\n|---|---|\n", "[", "]",
        "](", "[a](", "[a](b", "[a]: http://x", "![", "![a](", "<", "<a href=\"", "</", "<!--", "&", "&amp", "&#", "&#x", "&#99999999;", "\\",
        "\\*", "http://", "<http://x>", "[]", "()", "[](", "**[", "_*_*", "\u{0}", "\u{FFFD}", "é", "\u{301}",
    ]

    /// Objects ContentRules keeps as sent: WhatsApp's template, a payload for the channel.
    static let keptWhole: Set<String> = ["template"]

    static var contentKeys: [String] {
        Array(contents.reduce(into: Set<String>()) { $0.formUnion(HostileJSON.keys(of: $1)) }) + ["markdownText", "htmlText", "schema"]
    }

    /// A content tree: a valid sample mutated structurally, or with hostile Markdown.
    static func content(_ random: inout FuzzRandom, keys: [String]) -> JSONValue {
        let sample = random.pick(contents)
        switch random.below(6) {
        case 0:
            var markdown = ""
            for _ in 0..<random.below(30) {
                markdown += random.oneIn(4) ? Hostile.string(&random) : random.pick(markdownFragments)
            }
            if random.oneIn(50) { markdown = String(repeating: random.pick(markdownFragments), count: 1 + random.below(4200)) }
            guard case .object(var fields) = sample else { return sample }
            fields["markdownText"] = .string(markdown)
            if random.oneIn(2) { fields["htmlText"] = nil; fields["text"] = nil }
            return .object(fields)
        case 1: return random.oneIn(2) ? sample : HostileJSON.value(&random)
        default: return HostileJSON.mutate(sample, &random, keys: keys)
        }
    }

    @Test("ContentRules.validate: the stored content or a 400; what it returns is an object of the same type that validates to itself")
    func contentRules() async throws {
        let keys = Self.contentKeys
        let report = try await Fuzz.run("ContentRules.validate", filter: "DomainRulesFuzzTests/contentRules") { random, report in
            // A document too deep to read is refused before the domain (a case found by seed 2487666539078012213).
            guard let content = HostileJSON.wire(Self.content(&random, keys: keys)) else {
                report.count("not readable by the server")
                return
            }
            let schema: String? = random.pick([nil, nil, nil, "whatsapp", "", Hostile.string(&random)])
            report.trace("\(Fuzz.show(HostileJSON.text(content))) schema \(schema.map(Fuzz.show) ?? "nil")")
            let validated: JSONValue
            do {
                validated = try ContentRules.validate(content, schema: schema)
            } catch {
                report.count("400")
                report.expect(Self.isBadRequest(error), "threw \(String(reflecting: error)) for \(Fuzz.show(HostileJSON.text(content)))")
                return
            }
            report.count("valid")
            guard case .object(let fields) = validated, case .object(let input) = content else {
                report.fail("validated \(Fuzz.show(HostileJSON.text(content))) to a non-object \(validated)")
                return
            }
            report.expect(fields["type"] == input["type"], "the type changed: \(Fuzz.show(HostileJSON.text(validated)))")
            report.expect(fields["markdownText"] == nil, "markdownText kept: \(Fuzz.show(HostileJSON.text(validated)))")
            // The template, a payload for the channel, is kept as sent (JSON-escaped when stored).
            if let field = HostileJSON.nulField(validated, skipping: Self.keptWhole) {
                report.fail("accepted content whose \(field) holds U+0000: \(Fuzz.show(HostileJSON.text(content)))")
            }
            // Rendered Markdown is shown as HTML by clients: only the renderer's own tags, links
            // only to http(s), mailto and tel (docs: raw HTML is text, `javascript:` is not a link).
            if case .string? = input["markdownText"], input["htmlText"] == nil, case .string(let html)? = fields["htmlText"] {
                report.count("markdown rendered")
                if let problem = Self.unsafeHTML(html) {
                    report.fail("markdown rendered to unsafe HTML (\(problem)): \(Fuzz.show(html))")
                }
            }
            // What is stored is written by JSONWriter and must read back the same.
            do {
                let text = try JSONWriter.string(validated)
                if let parsed = JSONParser.parse(text) {
                    report.expect(parsed == validated, "stored text reads back differently: \(Fuzz.show(text))")
                }
            } catch {
                report.fail("the validated content cannot be written: \(error)")
            }
            // Validating what was stored changes nothing more.
            do {
                let again = try ContentRules.validate(validated, schema: schema)
                report.expect(again == validated, "not idempotent: \(Fuzz.show(HostileJSON.text(validated))) became \(Fuzz.show(HostileJSON.text(again)))")
            } catch {
                report.fail("the validated content is refused on a second pass (\(error)): \(Fuzz.show(HostileJSON.text(validated)))")
            }
        }
        report.expectReached("valid", atLeast: Fuzz.cases / 50)
    }

    static let allowedTags: Set<String> = [
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "hr", "strong", "em", "del", "s", "a", "img",
    ]

    /// Why `html` is not what the Markdown renderer may write, or nil. Read by Unicode scalars, as
    /// a browser reads it: every `<` opens one of the renderer's tags, an `<a>` holds exactly the
    /// two quotes of its href and an `<img>` the four of its src and alt (one more would end the
    /// attribute early and let the rest of the URL become attributes: `onerror=…`), and every
    /// href or src is an http(s), mailto or tel URL.
    static func unsafeHTML(_ html: String) -> String? {
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while let open = scalars[index...].firstIndex(of: "<") {
            var end = open + 1
            if end < scalars.count, scalars[end] == "/" { end += 1 }
            let nameStart = end
            while end < scalars.count, ("a"..."z").contains(scalars[end]) || ("0"..."9").contains(scalars[end]) { end += 1 }
            let name = String(String.UnicodeScalarView(scalars[nameStart..<end]))
            guard allowedTags.contains(name) else { return "a raw < before \(String(String.UnicodeScalarView(scalars[nameStart..<min(end + 3, scalars.count)])).debugDescription)" }
            // The tag ends at the first > outside quotes, as a browser reads it.
            var quoted = false
            guard let close = scalars[end...].firstIndex(where: { scalar in
                if scalar == "\"" { quoted.toggle() }
                return scalar == ">" && !quoted
            }) else { return "<\(name) never closes: a quote too many" }
            let attributes = String(String.UnicodeScalarView(scalars[end..<close]))
            let quotes = attributes.unicodeScalars.filter { $0 == "\"" }.count
            let expected = scalars[open + 1] == "/" ? 0 : (name == "a" ? 2 : name == "img" ? 4 : 0)
            guard quotes == expected else { return "<\(name)\(attributes)> has \(quotes) quotes" }
            for attribute in ["href=\"", "src=\""] {
                guard let range = attributes.range(of: attribute) else { continue }
                let url = attributes[range.upperBound...].prefix { $0 != "\"" }.lowercased()
                guard ["http:", "https:", "mailto:", "tel:"].contains(where: { url.hasPrefix($0) }) else { return "\(attribute)\(url)" }
            }
            index = close + 1
        }
        return nil
    }

    // MARK: Metadata

    @Test("Metadata.validated: flat objects of at most 4096 bytes are kept as given; anything else is a 400")
    func metadata() async throws {
        let report = try await Fuzz.run("Metadata.validated", filter: "DomainRulesFuzzTests/metadata") { random, report in
            var values: [String: JSONValue] = [:]
            for _ in 0..<random.pick([0, 1, 2, 5, 20]) {
                let key = random.oneIn(3) ? Hostile.string(&random) : "k\(random.below(300))"
                values[key] = HostileJSON.wire(random.oneIn(8) ? HostileJSON.value(&random) : HostileJSON.scalar(&random))
            }
            // Many small values, around the size limit.
            if random.oneIn(6) {
                for index in 0..<random.below(400) { values["key\(index)"] = random.oneIn(2) ? .integer(Int64(index)) : .string("v/\(index)") }
            }
            if random.oneIn(4) { values["big"] = .string(String(repeating: random.pick(["a", "é", "/", "\"", "\u{1}"]), count: random.below(4200))) }
            let field = random.pick(["metadata", "app.metadata", Hostile.string(&random)])
            report.trace(Fuzz.show(HostileJSON.text(.object(values))))
            let flat = values.values.allSatisfy {
                switch $0 {
                case .bool, .integer, .double, .string: true
                default: false
                }
            }
            let size = (try? JSONEncoder().encode(values).count) ?? Int.max
            let nul = HostileJSON.nulField(.object(values)) != nil
            do {
                let metadata = try Metadata.validated(values, field: field)
                report.count("valid")
                report.expect(metadata.values == values, "the values changed")
                report.expect(flat && !nul && size <= Metadata.maximumBytes,
                              "kept metadata that is not flat, holds U+0000 or is \(size) bytes: \(Fuzz.show(HostileJSON.text(.object(values))))")
            } catch {
                report.count("400")
                report.expect(Self.isBadRequest(error), "threw \(String(reflecting: error))")
                report.expect(!flat || nul || size > Metadata.maximumBytes, "refused flat metadata of \(size) bytes: \(error)")
            }
        }
        report.expectReached("valid", atLeast: Fuzz.cases / 20)
        report.expectReached("400", atLeast: Fuzz.cases / 20)
    }

    // MARK: PhoneNumber

    @Test("PhoneNumber.normalized: + and 8–15 ASCII digits, the input without its separators; else a 400")
    func phoneNumbers() async throws {
        let samples = ["+1 212 555 2368", "+44 (20) 7946-0958", "+33.1.23.45.67.89", "+819012345678", "+1-800-555-0199", "+123456789012345"]
        let report = try await Fuzz.run("PhoneNumber.normalized", filter: "DomainRulesFuzzTests/phoneNumbers") { random, report in
            let text = Hostile.text(from: samples, &random, extra: Hostile.foreignDigits + [" ", "-", ".", "(", ")", "+", "0"])
            report.trace(Fuzz.show(text))
            // The same rule over scalars: separators removed, then the pattern.
            let separators = Set(" -.()".unicodeScalars)
            let scalars = String(String.UnicodeScalarView(text.unicodeScalars.filter { !separators.contains($0) }))
            let bytes = Array(scalars.utf8)
            let expectedValid = bytes.first == UInt8(ascii: "+") && (9...16).contains(bytes.count) && bytes[1] != UInt8(ascii: "0")
                && bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            do {
                let normalized = try PhoneNumber.normalized(text, field: "phone")
                report.count("valid")
                report.expect(expectedValid && normalized == scalars, "accepted \(Fuzz.show(text)) as \(Fuzz.show(normalized))")
            } catch {
                report.count("400")
                report.expect(Self.isBadRequest(error), "threw \(String(reflecting: error))")
                report.expect(!expectedValid, "refused \(Fuzz.show(text)), which is + and digits once separators are removed")
            }
        }
        report.expectReached("valid", atLeast: Fuzz.cases / 50)
    }

    // MARK: Rules

    @Test("Rules.email, uri, length and datetime: a value that satisfies the rule, or a 400 naming the field")
    func fieldRules() async throws {
        let emails = ["steve@example.com", "a.b+c@mg.example.co.uk", "x@y.z"]
        let uris = ["https://example.com/a?b=c#d", "http://127.0.0.1:8080", "mailto:a@b.c", "urn:isbn:0451450523", "tel:+1-212"]
        let datetimes = ["2020-05-21T15:53:30.197Z", "1999-12-31T23:59:59+05:30", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-23:59"]
        let report = try await Fuzz.run("Rules", filter: "DomainRulesFuzzTests/fieldRules") { random, report in
            let field = random.pick(["profile.email", "content.mediaUrl", "signedUpAt", ""])
            func check(_ rule: String, _ text: String, _ body: () throws -> Void) -> Bool {
                do {
                    try body()
                    report.count("\(rule) valid")
                    return true
                } catch {
                    report.count("\(rule) 400")
                    report.expect(Self.isBadRequest(error), "\(rule) threw \(String(reflecting: error)) for \(Fuzz.show(text))")
                    if let error = error as? ParleyError { report.expect(error.title.hasPrefix(field), "\(rule)'s title does not name the field: \(error.title)") }
                    return false
                }
            }
            switch random.below(4) {
            case 0:
                let text = Hostile.text(from: emails, &random, extra: ["@", ".", " ", "\u{A0}", "\u{2028}"])
                report.trace("email \(Fuzz.show(text))")
                if check("email", text, { try Rules.email(text, field: field) }) {
                    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
                    report.expect(
                        (1...128).contains(text.count) && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
                            && !text.unicodeScalars.contains(where: \.properties.isWhitespace),
                        "accepted the email \(Fuzz.show(text))")
                }
            case 1:
                let text = Hostile.text(from: uris, &random, extra: [":", "//", " ", "%", "#", "?"])
                let maxLength = random.pick([2048, 128, 10])
                report.trace("uri \(Fuzz.show(text))")
                if check("uri", text, { try Rules.uri(text, maxLength: maxLength, field: field) }) {
                    // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
                    func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }
                    func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
                    let scheme = text.utf8.prefix { $0 != UInt8(ascii: ":") }
                    let schemeValid = scheme.first.map(isLetter) == true
                        && scheme.allSatisfy { isLetter($0) || isDigit($0) || "+-.".utf8.contains($0) }
                    report.expect((1...maxLength).contains(text.count) && scheme.count < text.utf8.count && schemeValid,
                                  "accepted the URI \(Fuzz.show(text))")
                    report.count(schemeValid ? "uri scheme valid" : "uri scheme invalid")
                }
            case 2:
                let text = Hostile.string(&random)
                let range = random.pick([0...0, 1...128, 0...4096, 3...3, 1...1])
                report.trace("length \(Fuzz.show(text))")
                let valid = check("length", text, { try Rules.length(text, range, field: field) })
                report.expect(valid == (range.contains(text.count) && !text.utf8.contains(0)), "length \(text.count) in \(range): \(valid)")
            default:
                let text = Hostile.text(from: datetimes, &random, extra: Hostile.foreignDigits + ["-", ":", "T", "Z", "+", "."])
                report.trace("datetime \(Fuzz.show(text))")
                var parsed: Timestamp?
                if check("datetime", text, { parsed = try Rules.datetime(text, field: field) }) {
                    report.expect(parsed == Timestamp(iso8601: text), "datetime disagrees with Timestamp(iso8601:) on \(Fuzz.show(text))")
                } else {
                    report.expect(Timestamp(iso8601: text) == nil, "datetime refused \(Fuzz.show(text)), which Timestamp reads")
                }
            }
        }
        for rule in ["email", "uri", "datetime"] { report.expectReached("\(rule) valid", atLeast: 10) }
    }
}

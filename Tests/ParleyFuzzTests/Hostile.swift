import Foundation

/// Hostile text and bytes, shared by every suite: fragments that have broken parsers before (or
/// that parsers written with `Character`s, `Int(_:)` or Foundation tend to get wrong), and
/// mutations that splice them into valid samples so the input gets past the first check.
enum Hostile {
    /// Digits a pattern's `\d` or `Character.isNumber` takes but no ASCII conversion reads:
    /// Arabic-Indic, extended Arabic-Indic, Devanagari, fullwidth, mathematical bold/monospace.
    static let foreignDigits: [String] = [
        (0x660...0x669), (0x6F0...0x6F9), (0x966...0x96F), (0xFF10...0xFF19), (0x1D7CE...0x1D7D7), (0x1D7F6...0x1D7FF),
    ].flatMap { range in range.map { String(Unicode.Scalar($0)!) } }

    /// Valid Unicode that is hostile to text handling.
    static let textFragments: [String] = [
        "", " ", "\u{0}", "\u{1}", "\u{7}", "\u{8}", "\t", "\n", "\r", "\r\n", "\u{B}", "\u{C}", "\u{1B}", "\u{7F}", "\u{85}",
        "\u{A0}", "\u{2028}", "\u{2029}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}",
        "\u{301}", "e\u{301}", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", "\u{1F1FA}\u{1F1F8}", "\u{202E}", "\u{600}", "\u{D7FF}",
        "İ", "ß", "ﬃ", "Σ", "é", "日本語", "\u{130}", "K", "\u{212A}",
        "\"", "'", "\\", "/", "//", "\\\\", "\\u", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\u00", "\\x41", "\\",
        "%", "%0", "%00", "%2", "%25", "%2F", "%2f", "%zz", "%FF", "%C0%80", "%ED%A0%80", "%C3", "%C3%A9", "%E2%82", "%F0%9F%98%80", "%%",
        "+", "=", "==", "&", "&&", ";", ",", ":", "::", "?", "#", "@", "@@", "<", ">", "<>", "[", "]", "{", "}", "[]", "{}", "(", ")",
        "*", "..", "../", "~", "`", "|", "$", "!", "-", "--", "-- ", "_", ".",
        "0", "00", "01", "-0", "+0", "1", "-1", "9", "10", "255", "256", "65535", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "99999999999999999999999", "1e400", "-1e400", "1e-400", "1E308", "1.7976931348623157e308", "4.9e-324", "2.5e-324", "0.1",
        "1.", ".5", "1e", "1e+", "0x1F", "0b1", "0o7", "1_000", "nan", "NaN", "-nan", "inf", "-inf", "infinity", "+Infinity",
        "true", "false", "null", "undefined", "None",
        "2020-05-21T15:53:30.197Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2020-02-30T00:00:00Z", "2020-05-21T24:00:00Z",
        "2020-05-21T15:53:30+23:59", "2020-05-21T15:53:30-00:00", "2020-05-21T15:53:30.1234567890Z", "1970-01-01T00:00:00.Z",
        "5f8e0a1b2c3d4e5f60718293", "5F8E0A1B2C3D4E5F60718293", "act_", "app_", "int_", "Basic ", "Bearer ", "HS256", "none",
        "https://", "http://example.com/a?b=c#d", "mailto:a@b.c", "javascript:alert(1)", "a@b", "a@b.c", "@b.c", "a@.c", "a@b.",
        "+1 212 555 2368", "+00000000", "(", "+", "On Tue, 1 Jan 2026, X wrote:", "> quoted", "-----Original Message-----",
        "From: a", "Sent: b", "Le 1 janv., a écrit :", "________________________________",
        "Content-Disposition: form-data; name=\"a\"", "Content-Disposition: form-data; name=\"a\"; filename=\"b\"", "boundary=",
        "--", "\r\n\r\n", "multipart/form-data", "application/x-www-form-urlencoded", "application/json",
    ] + foreignDigits

    /// Bytes no `String` can hold, or that are only valid by accident: invalid UTF-8, surrogates
    /// encoded as UTF-8 (ED A0 80), overlong forms, truncated sequences, a BOM.
    static let byteFragments: [[UInt8]] = [
        [0x00], [0xC0, 0x80], [0xC1, 0xBF], [0xFF], [0xFE], [0x80], [0xBF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xE0, 0x80, 0x80], [0xEF, 0xBB, 0xBF], [0xEF, 0xBF, 0xBE], [0x0D], [0x0A], [0x0D, 0x0A], [0x1B], [0x7F],
    ]

    /// Fragments of JSON syntax and JSON-specific trouble: numbers past every integer and float,
    /// lone surrogate escapes, escapes cut short, duplicate-key shapes.
    static let jsonFragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\\"", "null", "true", "false", "tru", "nul", "-", "+", "-0", "-0.0", "0", "01",
        "1e400", "-1e400", "1e-400", "1E+2", "1.0", "3.0e0", "9.2e18", "9007199254740993", "9007199254740993.0", "1.5e300",
        "99999999999999999999999", "-99999999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\u00\"", "\"\\uZZZZ\"", "\"\\x\"",
        "\"a\":1,\"a\":2", "[1,]", "{\"a\":1,}", "\u{FEFF}", " ", "\t", "\n", "\r", "NaN", "Infinity", "-Infinity", "'a'", "/*", "//",
    ]

    /// Any hostile fragment as bytes.
    static func fragment(_ random: inout FuzzRandom) -> [UInt8] {
        switch random.below(10) {
        case 0, 1: return random.pick(byteFragments)
        case 2, 3: return Array(random.pick(jsonFragments).utf8)
        case 4: return Array(scalar(&random).utf8)
        default: return Array(random.pick(textFragments).utf8)
        }
    }

    /// A random scalar, weighted towards the awkward planes.
    static func scalar(_ random: inout FuzzRandom) -> String {
        let ranges: [ClosedRange<UInt32>] = [0...0x1F, 0x20...0x7E, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        let range = random.pick(ranges)
        let value = range.lowerBound + UInt32(random.below(Int(range.upperBound - range.lowerBound) + 1))
        return String(Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}")
    }

    /// Valid Unicode text built from hostile fragments, now and then very long or repeated.
    static func string(_ random: inout FuzzRandom) -> String {
        var text = ""
        for _ in 0..<random.below(6) {
            switch random.below(8) {
            case 0: text += scalar(&random)
            case 1: text += random.pick(foreignDigits)
            default: text += random.pick(textFragments)
            }
        }
        if random.oneIn(40) { text = String(repeating: text.isEmpty ? "a" : text, count: random.length(max: 1 << 20) / max(1, text.utf8.count) + 1) }
        if random.oneIn(60) { text += String(repeating: random.pick(["a", "é", "%", "\\", "0", " ", "/", "\u{0}"]), count: random.length(max: 1 << 20)) }
        // Up to about 1 MB, in the few cases that may be huge: enough to show a quadratic scan
        // without slowing the run.
        if random.takeHuge() { text += String(repeating: random.pick(["a", "ü", "%41", "\\n", "9", "\r\n"]), count: 200_000 + random.below(100_000)) }
        return text
    }

    /// Bytes that are mostly not valid UTF-8 or JSON at all.
    static func bytes(_ random: inout FuzzRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<random.below(8) {
            if random.oneIn(4) {
                bytes += (0..<random.below(6)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes += fragment(&random)
            }
        }
        if random.oneIn(60) { bytes += [UInt8](repeating: UInt8(truncatingIfNeeded: random.next()), count: random.length()) }
        if random.takeHuge() { bytes += Array(repeating: fragment(&random), count: 100_000).joined() }
        return bytes
    }

    /// A number as text: beyond Int64 and Double, negative zero, tiny, long runs of digits,
    /// non-ASCII digits, leading zeros and signs.
    static func number(_ random: inout FuzzRandom) -> String {
        switch random.below(9) {
        case 0: return random.pick(["1e400", "-1e400", "1e-400", "-0", "-0.0", "0.0", "1e308", "1.7976931348623157e309", "4.9e-324"])
        case 1: return random.pick(["99999999999999999999999", "-99999999999999999999999", "9223372036854775807", "9223372036854775808",
                                    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "9007199254740993"])
        case 2: return String(repeating: "9", count: 1 + random.length(max: 5000))
        case 3: return "1" + String(repeating: "0", count: random.below(400)) + random.pick(["", ".0", ".5", "e-400", "e400"])
        case 4: return (0..<1 + random.below(12)).map { _ in random.pick(foreignDigits) }.joined()
        case 5: return random.pick(["+", "-", "", "0", "00", " "]) + String(random.next() % 100_000)
        case 6: return String(Int64(bitPattern: random.next()))
        case 7: return String(Double(bitPattern: random.next()))
        default: return random.pick(["nan", "inf", "-inf", "NaN", "Infinity", "0x10", "1_0", "1e", ".", "٣", "１２", "1,5", "1.5.5"])
        }
    }

    /// `depth` nested arrays or objects around `inner`, unclosed now and then: around Parley's
    /// limit of 64 levels, around Foundation's of 512 (where it traps when the 513th level opens at
    /// the last byte), and far past both.
    static func nested(_ random: inout FuzzRandom, inner: String = "1") -> String {
        let depth = random.pick([random.below(20), random.below(100), 63, 64, 65, 511, 512, 513, 514, 1000, 513 + random.below(20_000)])
        let object = random.oneIn(2)
        var text = String(repeating: object ? "{\"a\":" : "[", count: depth) + inner
        let closing = random.oneIn(8) ? random.below(depth + 1) : depth
        text += String(repeating: object ? "}" : "]", count: closing)
        return text
    }

    /// `sample` with 1–5 mutations: bytes or fragments inserted, deleted, replaced, duplicated,
    /// or the sample cut short. `extra` adds fragments that matter to the parser under test.
    static func mutate(_ sample: [UInt8], _ random: inout FuzzRandom, extra: [[UInt8]] = []) -> [UInt8] {
        var bytes = sample
        for _ in 0..<(1 + random.below(5)) {
            let at = random.below(bytes.count + 1)
            switch random.below(9) {
            case 0:  // insert a hostile fragment
                bytes.insert(contentsOf: fragment(&random), at: at)
            case 1:  // insert a parser-specific fragment
                bytes.insert(contentsOf: extra.isEmpty ? fragment(&random) : random.pick(extra), at: at)
            case 2:  // delete a run
                let end = min(bytes.count, at + 1 + random.below(8))
                if at < end { bytes.removeSubrange(at..<end) }
            case 3:  // replace one byte with any byte
                if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: random.next()) }
            case 4:  // replace one byte with a nearby ASCII one (flip a digit, a quote, a bracket)
                if at < bytes.count { bytes[at] = random.pick(Array("0123456789\"{}[]:,.-+eE\\/ %=&;@".utf8)) }
            case 5:  // duplicate a run, sometimes many times
                let end = min(bytes.count, at + 1 + random.below(16))
                if at < end {
                    let run = Array(bytes[at..<end])
                    let times = random.oneIn(10) ? random.length(max: 50_000) : 1
                    bytes.insert(contentsOf: Array([[UInt8]](repeating: run, count: times).joined()), at: at)
                }
            case 6:  // cut short
                bytes = Array(bytes[..<at])
            case 7:  // swap two bytes
                let other = random.below(bytes.count + 1)
                if at < bytes.count, other < bytes.count { bytes.swapAt(at, other) }
            default:  // a whole other piece of text in place of a run
                let end = min(bytes.count, at + random.below(8))
                bytes.replaceSubrange(at..<end, with: Array(string(&random).utf8))
            }
        }
        return bytes
    }

    /// `sample` mutated as bytes and read back as a `String` (invalid UTF-8 becomes U+FFFD, as it
    /// does for every `String` an outside byte sequence turns into).
    static func mutate(_ sample: String, _ random: inout FuzzRandom, extra: [String] = []) -> String {
        String(decoding: mutate(Array(sample.utf8), &random, extra: extra.map { Array($0.utf8) }), as: UTF8.self)
    }

    /// A valid sample mutated, or a hostile string, or (rarely) the sample untouched: the mix every
    /// string parser gets.
    static func text(from samples: [String], _ random: inout FuzzRandom, extra: [String] = []) -> String {
        switch random.below(10) {
        case 0: return random.pick(samples)
        case 1, 2: return string(&random)
        case 3: return random.pick(samples) + string(&random)
        default: return mutate(random.pick(samples), &random, extra: extra)
        }
    }
}

import Foundation
import Testing

@testable import ParleyDomain

/// Datetimes and ids: the small parsers every request runs (signedUpAt, since, every path id,
/// every key id). Each has a byte-level rule simple enough to check independently.
@Suite("Fuzz: timestamps and ids")
struct TimestampAndIDFuzzTests {
    /// `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)` with ASCII digits: a shape string ("9" for a
    /// digit) compared byte by byte, for the head, the optional fraction and the zone.
    static func matchesGrammar(_ text: String) -> Bool {
        func matches(_ bytes: ArraySlice<UInt8>, _ shape: String) -> Bool {
            bytes.count == shape.utf8.count && zip(bytes, shape.utf8).allSatisfy { byte, expected in
                expected == UInt8(ascii: "9") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            }
        }
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, matches(bytes[0..<19], "9999-99-99T99:99:99") else { return false }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard (1...9).contains(digits.count) else { return false }
            rest = rest.dropFirst(1 + digits.count)
        }
        return matches(rest, "Z") || matches(rest, "+99:99") || matches(rest, "-99:99")
    }

    /// A datetime from components: valid ones, and ones a field beyond its range.
    struct Parts {
        var year = 2020, month = 5, day = 21, hour = 15, minute = 53, second = 30
        var fraction = "", offset = "Z"

        var text: String {
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))\(fraction)\(offset)"
        }

        static func daysIn(_ month: Int, _ year: Int) -> Int {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        var isValid: Bool {
            (1...12).contains(month) && day >= 1 && day <= Self.daysIn(month, year) && hour <= 23 && minute <= 59 && second <= 59
                && fraction.utf8.count <= 10 && offsetIsValid && staysInRange
        }

        /// The instant in UTC is still in the years 0000–9999: an offset may carry the first or the
        /// last day across that edge (9999-12-31T22:00-02:01 is in year 10000).
        var staysInRange: Bool {
            guard offset != "Z", offsetIsValid else { return true }
            let bytes = Array(offset.utf8)
            let offsetMinutes = Int(String(decoding: bytes[1...2], as: UTF8.self))! * 60 + Int(String(decoding: bytes[4...5], as: UTF8.self))!
            let utcMinutes = hour * 60 + minute - (bytes[0] == UInt8(ascii: "+") ? 1 : -1) * offsetMinutes
            if year == 9999 && month == 12 && day == 31 { return utcMinutes < 24 * 60 }
            if year == 0 && month == 1 && day == 1 { return utcMinutes >= 0 }
            return true
        }

        var offsetIsValid: Bool {
            guard offset != "Z" else { return true }
            let bytes = Array(offset.utf8)
            return Int(String(decoding: bytes[1...2], as: UTF8.self))! <= 23 && Int(String(decoding: bytes[4...5], as: UTF8.self))! <= 59
        }

        /// Foundation's Gregorian calendar, an independent reading for years it does not treat
        /// as Julian (from 1583).
        var foundationMilliseconds: Int64? {
            guard year >= 1600, isValid else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
            else { return nil }
            var millis = Int64(date.timeIntervalSince1970.rounded()) * 1000
            let digits = Array(fraction.utf8.dropFirst().prefix(3)) + Array(repeating: UInt8(ascii: "0"), count: 3)
            millis += Int64(String(decoding: digits.prefix(3), as: UTF8.self))!
            if offset != "Z" {
                let bytes = Array(offset.utf8)
                let minutes = Int64(String(decoding: bytes[1...2], as: UTF8.self))! * 60 + Int64(String(decoding: bytes[4...5], as: UTF8.self))!
                millis -= (bytes[0] == UInt8(ascii: "+") ? 1 : -1) * minutes * 60_000
            }
            return millis
        }

        static func random(_ random: inout FuzzRandom, strict: Bool) -> Parts {
            var parts = Parts()
            parts.year = random.oneIn(4) ? random.pick([0, 1, 1582, 1600, 1900, 1970, 2000, 2100, 2400, 9999]) : random.below(10_000)
            parts.month = strict ? 1 + random.below(12) : random.pick([0, 1, 2, 12, 13, 99, 1 + random.below(12)])
            parts.day = strict ? 1 + random.below(daysIn(parts.month, parts.year)) : random.pick([0, 1, 28, 29, 30, 31, 32, 1 + random.below(31)])
            parts.hour = strict ? random.below(24) : random.pick([0, 23, 24, 99, random.below(24)])
            parts.minute = strict ? random.below(60) : random.pick([0, 59, 60, random.below(60)])
            parts.second = strict ? random.below(60) : random.pick([0, 59, 60, 61, random.below(60)])
            if random.oneIn(2) { parts.fraction = "." + String((0..<(1 + random.below(strict ? 9 : 11))).map { _ in random.pick(Array("0123456789")) }) }
            if random.oneIn(2) {
                let hours = strict ? random.below(24) : random.pick([0, 14, 23, 24, 99])
                let minutes = strict ? random.below(60) : random.pick([0, 30, 59, 60])
                parts.offset = random.pick(["+", "-"]) + Parts.clock(hours, minutes)
            }
            return parts
        }

        static func clock(_ hours: Int, _ minutes: Int) -> String {
            String(format: "%02d:%02d", hours, minutes)
        }
    }

    @Test("Timestamp(iso8601:): parses exactly the ASCII grammar with real dates, agrees with Foundation's calendar, and round-trips")
    func timestamps() async throws {
        let report = try await Fuzz.run("Timestamp(iso8601:)", filter: "TimestampAndIDFuzzTests/timestamps") { random, report in
            let parts: Parts?
            let text: String
            switch random.below(10) {
            case 0, 1, 2, 3:
                let generated = Parts.random(&random, strict: random.below(3) > 0)
                (parts, text) = (generated, generated.text)
            default:
                let samples = ["2020-05-21T15:53:30.197Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999+23:59", "2000-02-29T12:00:00-05:30"]
                (parts, text) = (nil, Hostile.text(from: samples, &random, extra: Hostile.foreignDigits + ["-", ":", "T", "Z", "+", ".", "0", "9"]))
            }
            report.trace(Fuzz.show(text))
            let parsed = Timestamp(iso8601: text)
            if let parts {
                report.expect((parsed != nil) == parts.isValid, "\(parts.isValid ? "refused" : "accepted") \(Fuzz.show(text))")
                if let parsed, let expected = parts.foundationMilliseconds {
                    report.expect(parsed.millisecondsSince1970 == expected, "\(text): \(parsed.millisecondsSince1970) ms, Foundation \(expected)")
                }
            }
            guard let parsed else {
                report.count("refused")
                return
            }
            report.count("parsed")
            report.expect(Self.matchesGrammar(text), "accepted \(Fuzz.show(text)), outside the ASCII grammar")
            let written = parsed.iso8601
            let (year, _, _) = Timestamp.civil(fromDays: Timestamp.floorDivide(parsed.millisecondsSince1970, 86_400_000).0)
            guard (0...9999).contains(year) else {
                report.fail("\(Fuzz.show(text)) was taken, but lies outside the years 0000–9999 in UTC: \(written)")
                return
            }
            report.expect(written.utf8.count == 24 && Self.matchesGrammar(written), "\(text) is written as \(written)")
            report.expect(Timestamp(iso8601: written) == parsed, "\(text) is written as \(written), which reads back as \(String(describing: Timestamp(iso8601: written)))")
        }
        report.expectReached("parsed", atLeast: Fuzz.cases / 10)
    }

    /// 24 ASCII hex digits, checked byte by byte without the parser's helpers.
    static func isResourceID(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count == 24 && bytes.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
    }

    static let idSamples = ["5f8e0a1b2c3d4e5f60718293", "5F8E0A1B2C3D4E5F60718293", "000000000000000000000000", "ffffffffffffffffffffffff"]
    static let idFragments = Hostile.foreignDigits + ["ａ", "Ａ", "g", "G", "x", "0", "f", "F", " ", "\u{0}", "é", "e\u{301}", "a\u{300}"]

    @Test("ResourceID(_:): exactly 24 ASCII hex digits, kept lowercased")
    func resourceIDs() async throws {
        let report = try await Fuzz.run("ResourceID(_:)", filter: "TimestampAndIDFuzzTests/resourceIDs") { random, report in
            let text = Hostile.text(from: Self.idSamples, &random, extra: Self.idFragments)
            report.trace(Fuzz.show(text))
            let id = ResourceID(text)
            report.count(id == nil ? "refused" : "parsed")
            report.expect((id != nil) == Self.isResourceID(text.utf8), "\(id == nil ? "refused" : "accepted") \(Fuzz.show(text))")
            if let id { report.expect(id.rawValue == text.lowercased() && id.rawValue.utf8.allSatisfy { !(0x41...0x46).contains($0) }, "\(text) kept as \(id.rawValue)") }
            // The Substring entry point (path components) reads the same. Cut by UTF-8 offsets, as
            // PathMatcher cuts: "\u{600}/" is a single Character, so dropLast() would take both.
            let padded = "/" + text + "/"
            let inner = padded[padded.utf8.index(after: padded.utf8.startIndex)..<padded.utf8.index(before: padded.utf8.endIndex)]
            report.expect(ResourceID(inner) == id, "ResourceID(Substring) differs for \(Fuzz.show(text))")
        }
        report.expectReached("parsed", atLeast: Fuzz.cases / 20)
    }

    @Test("KeyID(_:): act_, app_ or int_ and 24 ASCII hex digits, with the prefix's scope")
    func keyIDs() async throws {
        let samples = Self.idSamples.flatMap { id in ["act_", "app_", "int_"].map { $0 + id } }
        let report = try await Fuzz.run("KeyID(_:)", filter: "TimestampAndIDFuzzTests/keyIDs") { random, report in
            let text = Hostile.text(from: samples, &random, extra: Self.idFragments + ["act_", "app_", "int_", "_", "ACT_", "\u{301}"])
            report.trace(Fuzz.show(text))
            let bytes = Array(text.utf8)
            let prefix = String(decoding: bytes.prefix(4), as: UTF8.self)
            let scope = KeyScope.allCases.first { $0.idPrefix == prefix }
            let expected = scope != nil && Self.isResourceID(bytes.dropFirst(4))
            let key = KeyID(text)
            report.count(key == nil ? "refused" : "parsed")
            report.expect((key != nil) == expected, "\(key == nil ? "refused" : "accepted") \(Fuzz.show(text))")
            if let key { report.expect(key.scope == scope && key.rawValue == text, "\(text) read as \(key.scope) \(key.rawValue)") }
        }
        report.expectReached("parsed", atLeast: Fuzz.cases / 20)
    }
}

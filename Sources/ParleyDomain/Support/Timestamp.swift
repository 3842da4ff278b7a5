import Foundation

/// A point in time with millisecond precision, the precision the API's datetimes carry.
///
/// Formatting and parsing are done here by calendar arithmetic on the proleptic Gregorian
/// calendar, not by Foundation's formatters, which switch to the Julian calendar before 1582 and
/// quietly roll impossible dates (February 30th) into the next month.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Dates beyond what milliseconds in an Int64 can hold (about 292 million years either way),
    /// or not finite, are clamped rather than trapping.
    public init(_ date: Date) {
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
        self.millisecondsSince1970 = millis.isNaN ? 0 : Int64(max(-9.2e18, min(9.2e18, millis)))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    public var description: String { iso8601 }

    /// `YYYY-MM-DDThh:mm:ss.SSSZ` in UTC, the one datetime form the API speaks.
    public var iso8601: String {
        let (days, millisOfDay) = Self.floorDivide(millisecondsSince1970, 86_400_000)
        let (year, month, day) = Self.civil(fromDays: days)
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1000 % 60
        let millis = millisOfDay % 1000
        guard (0...9999).contains(year) else {
            // Only reachable through a stored or computed value, never through the API's parser:
            // ISO 8601's expanded years, a sign and at least four digits.
            func pad(_ value: Int64, _ width: Int) -> String {
                let text = String(value.magnitude)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            let sign = year < 0 ? "-" : "+"
            return "\(sign)\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
        }
        // Every field has a fixed width, so the 24 bytes are written in place: interpolating seven
        // padded strings was ≈ 1 µs a call, and a post formats several.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var start = 0
            // One field, its width, and the character after it (no array of fields: this runs
            // several times a post).
            func put(_ value: Int64, _ width: Int, _ after: Unicode.Scalar) {
                var rest = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[start + width] = UInt8(ascii: after)
                start += width + 1
            }
            put(year, 4, "-"); put(month, 2, "-"); put(day, 2, "T")
            put(hour, 2, ":"); put(minute, 2, ":"); put(second, 2, "."); put(millis, 3, "Z")
            return 24
        }
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)` for years 0000–9999, refusing impossible
    /// dates and times. nil for anything else, so callers can name the field in a 400.
    ///
    /// Read byte by byte, and only ASCII digits count as digits: a pattern's `\d` also matches
    /// Arabic-Indic, Devanagari or fullwidth digits, which no integer conversion reads.
    public init?(iso8601 text: String) {
        var text = text
        guard let millis = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.init(millisecondsSince1970: millis)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        /// `count` ASCII digits at `index` as a number (at most 9, so it always fits).
        func digits(_ count: Int) -> Int64? {
            guard count <= 9, bytes.count - index >= count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2), expect("T"),
            let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var millis: Int64 = 0
        if expect(".") {
            // 1–9 digits; only the first three count (milliseconds), the rest must still be digits.
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            let count = index - start
            guard (1...9).contains(count) else { return nil }
            for position in 0..<3 {
                millis *= 10
                if position < count { millis += Int64(bytes[start + position] - UInt8(ascii: "0")) }
            }
        }
        var offsetMinutes: Int64 = 0
        if !expect("Z") {
            let sign: Int64
            if expect("+") {
                sign = 1
            } else if expect("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), expect(":"), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard index == bytes.count else { return nil }
        // Years 0000–9999 and offsets under a day: every product below is far inside Int64.
        let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        let result = seconds * 1000 + millis
        // An offset can carry the first or last day across the range's edge (0000-01-01T00:00+00:01
        // is in year -1): the API's datetimes are four-digit years in UTC, so that is no datetime.
        guard (earliest...latest).contains(result) else { return nil }
        return result
    }

    /// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
    static let earliest = days(fromCivil: 0, 1, 1) * 86_400_000
    static let latest = days(fromCivil: 10_000, 1, 1) * 86_400_000 - 1

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian, day 0 = 1970-01-01).

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400).0
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097).0
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }
}

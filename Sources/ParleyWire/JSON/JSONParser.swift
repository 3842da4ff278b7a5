import Foundation
import ParleyDomain

/// Reads JSON text into a `JSONValue` without Foundation, for the plain JSON (RFC 8259) that
/// clients and our own `JSONWriter` write; it answers `nil` for anything else and the caller asks
/// Foundation's `JSONDecoder` instead.
///
/// Why: every PostMessage body, and every JSON column or outbox payload read back, was going
/// through `JSONDecoder`, whose `Codable` walk costs a boxed container per value and a thrown
/// error per wrong guess of a value's kind (see `JSONValue.init(from:)`).
///
/// Why `nil` rather than an error: wherever Foundation's reading differs from the plain grammar
/// (it accepts a trailing comma and a byte order mark, keeps the first of two equal keys, turns
/// `9.2e18` into an integer, refuses a lone surrogate), this parser does not guess: it declines,
/// and Foundation decides, with its own error messages. So a value parsed here is the value
/// `JSONDecoder` would have produced (a test compares the two on generated and hand-picked texts).
public enum JSONParser {
    /// Deeper documents are declined, and `BoundedJSONDecoder` refuses them.
    static let maximumDepth = BoundedJSONDecoder.maximumDepth

    /// The value of `data`: parsed here, or by `JSONDecoder` where this parser declines (whose
    /// `DecodingError` is then what a caller sees for invalid JSON).
    public static func decode(_ data: Data) throws -> JSONValue {
        if let value = data.withUnsafeBytes({ parse($0) }) { return value }
        return try BoundedJSONDecoder.decode(JSONValue.self, from: data)
    }

    /// Whether arrays and objects nest deeper than `limit`, counting brackets outside strings in
    /// one pass over the bytes.
    public static func nestsDeeper(than limit: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var depth = 0
        var inString = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1  // the escaped byte, whatever it is
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > limit { return true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            index += 1
        }
        return false
    }

    public static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? value : nil
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        parse(bytes.bindMemory(to: UInt8.self))
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard let byte = current else { return nil }
            switch byte {
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "{"): return depth < JSONParser.maximumDepth ? object(depth: depth + 1) : nil
            case UInt8(ascii: "["): return depth < JSONParser.maximumDepth ? array(depth: depth + 1) : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return nil
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        mutating func object(depth: Int) -> JSONValue? {
            index += 1  // {
            // Room for the API's usual objects (up to six keys) in one allocation: growing an
            // empty dictionary key by key was ≈ 0.5 % of a post's CPU (BENCHMARKS.md, "Round 9").
            var fields = [String: JSONValue](minimumCapacity: 6)
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(fields)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                // Foundation keeps the first of two equal keys; leave that case to it.
                guard let value = value(depth: depth), fields.updateValue(value, forKey: key) == nil else { return nil }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(fields)
                default: return nil
                }
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            index += 1  // [
            var values: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(values)
            }
            while true {
                skipWhitespace()
                guard let value = value(depth: depth) else { return nil }
                values.append(value)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(values)
                default: return nil
                }
            }
        }

        /// A string at `index` (its opening quote). Control characters, invalid UTF-8 and lone
        /// surrogates decline.
        mutating func string() -> String? {
            index += 1  // "
            let start = index
            // The common case, no escapes: one copy straight from the input, validated unless it
            // is all ASCII (which is always valid UTF-8; `String(validating:)` is not specialised
            // and looks up its generic metadata on every call).
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    let text = ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            var unescaped = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(validating: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { return nil }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escaped)
                    case UInt8(ascii: "b"): unescaped.append(0x08)
                    case UInt8(ascii: "f"): unescaped.append(0x0C)
                    case UInt8(ascii: "n"): unescaped.append(0x0A)
                    case UInt8(ascii: "r"): unescaped.append(0x0D)
                    case UInt8(ascii: "t"): unescaped.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        unescaped.append(contentsOf: scalar.utf8)
                    default: return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    unescaped.append(byte)
                    index += 1
                }
            }
            return nil
        }

        /// The scalar of `\uXXXX` (after its `\u`), joining a surrogate pair written as two escapes.
        mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            switch first {
            case 0xD800...0xDBFF:
                guard literal("\\u"), let second = hex4(), (0xDC00...0xDFFF).contains(second) else { return nil }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            case 0xDC00...0xDFFF: return nil
            default: return Unicode.Scalar(first)
            }
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// `JSONValue` keeps integers apart from doubles as `JSONValue.init(from:)` does through
        /// Foundation: digits alone are an integer; a fraction or exponent is a double unless its
        /// value is whole (`3.0` and `1e2` are integers there). Whole values beyond 2^53, and
        /// integers beyond Int64, decline: there Foundation's rounding decides.
        mutating func number() -> JSONValue? {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            guard skipDigits() > 0 else { return nil }
            // No leading zeros ("01").
            if bytes[digitsStart] == UInt8(ascii: "0") && index - digitsStart > 1 { return nil }
            var isInteger = true
            if current == UInt8(ascii: ".") {
                index += 1
                guard skipDigits() > 0 else { return nil }
                isInteger = false
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() > 0 else { return nil }
                isInteger = false
            }
            if isInteger {
                var value: Int64 = 0
                let negative = bytes[start] == UInt8(ascii: "-")
                for position in digitsStart..<index {
                    let digit = Int64(bytes[position] - UInt8(ascii: "0"))
                    let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
                    if overflow1 || overflow2 { return nil }
                    value = next
                }
                return .integer(value)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { return nil }
            if number.rounded(.towardZero) == number {
                guard abs(number) < 9_007_199_254_740_992 else { return nil }
                return .integer(Int64(number))
            }
            return .double(number)
        }

        mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
    }
}

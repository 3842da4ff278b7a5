import ParleyDomain

/// Serialises a `JSONValue` straight to UTF-8, byte for byte what Foundation's `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` writes (a test compares the two on generated values).
///
/// Why not `JSONEncoder`: every message is encoded several times on its way in (the stored
/// content, the outbox payload), and going through `Codable` costs a boxed container, a generic
/// dictionary walk and a sort per object. The write path's profile showed the encoder at about a
/// tenth of all samples, most of it inside the single SQLite writer.
public enum JSONWriter {
    public struct NonFiniteNumber: Error, Sendable {
        public let value: Double
    }

    public static func string(_ value: JSONValue) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        try write(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func write(_ value: JSONValue, into bytes: inout [UInt8]) throws {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): try writeDouble(number, into: &bytes)
        case .string(let text): writeString(text, into: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let fields):
            bytes.append(UInt8(ascii: "{"))
            // Sorted by UTF-8 bytes, as the encoder's `.sortedKeys` does. What is sorted is the
            // dictionary's indices, on the stack: no key is hashed again to find its value, and no
            // array of key–value pairs is built (copying the pairs out was ≈ 0.8 % of a post's CPU,
            // BENCHMARKS.md "Round 9").
            guard fields.count <= Self.insertionSortLimit else {
                try writeSortedPairs(fields, into: &bytes)
                return
            }
            try withUnsafeTemporaryAllocation(of: [String: JSONValue].Index.self, capacity: fields.count) { order in
                var count = 0
                for index in fields.indices {
                    // Insertion sort: objects here have a handful of keys.
                    var position = count
                    while position > 0, fields.keys[index].utf8.lexicographicallyPrecedes(fields.keys[order[position - 1]].utf8) {
                        order[position] = order[position - 1]
                        position -= 1
                    }
                    order[position] = index
                    count += 1
                }
                for position in 0..<count {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    let field = fields[order[position]]
                    writeString(field.key, into: &bytes)
                    bytes.append(UInt8(ascii: ":"))
                    try write(field.value, into: &bytes)
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Objects up to this many keys are sorted in place by insertion; larger ones (a client's
    /// metadata can hold thousands) by `sorted`, whose time grows as n log n, not n².
    static let insertionSortLimit = 32

    private static func writeSortedPairs(_ fields: [String: JSONValue], into bytes: inout [UInt8]) throws {
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, field) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(field.key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            try write(field.value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The encoder writes integral doubles without a fraction (`3.0` as `3`) and others as Swift
    /// prints them.
    private static func writeDouble(_ number: Double, into bytes: inout [UInt8]) throws {
        guard number.isFinite else { throw NonFiniteNumber(value: number) }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    private static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied whole: most strings are one run.
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscaped(byte, into: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ byte: UInt8, into bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
        case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
        case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
        case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
        case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
        case 0x00..<0x20:
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        default: bytes.append(byte)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

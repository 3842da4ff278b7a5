import Foundation
import ParleyDomain
@testable import ParleyWire
import Testing

/// `JSONWriter` must write exactly what `JSONEncoder` (sorted keys, unescaped slashes) writes, so
/// stored and sent JSON does not change with the faster path.
@Suite("JSONWriter")
struct JSONWriterTests {
    static func encoder(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A deterministic generator of awkward values: mixed-case, digit and non-ASCII keys, control
    /// characters, quotes, slashes, emoji, integral and tiny/huge doubles, nesting.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func text() -> String {
            let pieces = ["a", "Z", "é", "😀", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "\u{2028}", "10", "2", "_", " ", "B", "b"]
            return (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined()
        }

        mutating func number() -> JSONValue {
            let doubles: [Double] = [0, -0.0, 1, 3.0, -2.5, 0.1, 1e-7, 1.5e300, 123456789.125, .leastNonzeroMagnitude, 1e21, 1e16, 9_007_199_254_740_994, -1e-5]
            switch next(3) {
            case 0: return .integer(Int64(next(2_000_000)) - 1_000_000)
            case 1: return .integer([Int64.max, Int64.min, 0][next(3)])
            default: return .double(doubles[next(doubles.count)])
            }
        }

        mutating func value(depth: Int = 0) -> JSONValue {
            switch next(depth > 3 ? 4 : 7) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return number()
            case 3: return .string(text())
            case 4: return .array((0..<next(4)).map { _ in value(depth: depth + 1) })
            default:
                var fields: [String: JSONValue] = [:]
                for _ in 0..<next(6) { fields[text()] = value(depth: depth + 1) }
                return .object(fields)
            }
        }
    }

    @Test("Byte for byte what JSONEncoder writes, over 2,000 generated values")
    func matchesEncoder() throws {
        var generator = Generator(state: 20261126)
        for _ in 0..<2000 {
            let value = generator.value()
            #expect(try JSONWriter.string(value) == Self.encoder(value), "\(value)")
        }
    }

    @Test("Objects on both sides of the insertion-sort limit, keys sharing prefixes and beyond ASCII, sort as the encoder sorts")
    func largeObjects() throws {
        var generator = Generator(state: 7)
        for count in [0, 1, 2, JSONWriter.insertionSortLimit - 1, JSONWriter.insertionSortLimit, JSONWriter.insertionSortLimit + 1, 300] {
            var fields: [String: JSONValue] = [:]
            while fields.count < count {
                let key = ["", "a", "ab", "é", "Z", "_"][generator.next(6)] + generator.text()
                fields[key] = generator.value(depth: 3)
            }
            let value = JSONValue.object(fields)
            #expect(try JSONWriter.string(value) == Self.encoder(value), "\(count) keys")
        }
    }

    @Test("A message's content round-trips through the writer and JSONDecoder")
    func roundTrip() throws {
        let content: JSONValue = .object([
            "type": .string("text"), "text": .string("Hello \"world\" / ✓\n"), "count": .integer(3), "ratio": .double(0.25),
            "actions": .array([.object(["type": .string("link"), "uri": .string("https://example.com/a?b=c")])]),
        ])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(try JSONWriter.string(content).utf8))
        #expect(decoded == content)
    }

    @Test("Non-finite numbers are refused, as the encoder refuses them")
    func nonFinite() {
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try JSONWriter.string(.array([.double(.infinity)])) }
        #expect(throws: (any Error).self) { try Self.encoder(.double(.nan)) }
    }
}

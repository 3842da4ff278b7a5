import Foundation
import ParleyDomain
import ParleyWire
import Testing

/// `JSONParser` may decline any text, but a value it returns must be the one Foundation's
/// `JSONDecoder` produces for `JSONValue`, and it must not decline the plain JSON we write.
@Suite("JSONParser")
struct JSONParserTests {
    static func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Parsed here, the answer is Foundation's; declined, Foundation is asked anyway.
    static func expectAgrees(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let parsed = JSONParser.parse(text) {
            #expect(parsed == foundation(text), "\(text.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test("Agrees with JSONDecoder on 2,000 generated documents, and parses every one")
    func generated() throws {
        var generator = JSONWriterTests.Generator(state: 424242)
        for _ in 0..<2000 {
            let text = try JSONWriter.string(generator.value())
            let parsed = JSONParser.parse(text)
            let expected = Self.foundation(text)
            // Whole doubles past 2^53 (1.5e300 is written "1.5e+300") are left to Foundation.
            if parsed == nil { #expect(text.contains("e+"), "declined \(text.debugDescription)") }
            if let parsed { #expect(parsed == expected, "\(text.debugDescription)") }
        }
    }

    @Test("Agrees with JSONDecoder on 20,000 damaged documents: truncated, with a byte replaced or inserted")
    func damaged() throws {
        var generator = JSONWriterTests.Generator(state: 777)
        let noise = Array(" \t\n,:[]{}\"\\/-+.0123456789eEtrufalsn\u{01}é".utf8)
        for _ in 0..<5000 {
            let bytes = Array(try JSONWriter.string(generator.value()).utf8)
            guard !bytes.isEmpty else { continue }
            let at = generator.next(bytes.count)
            var replaced = bytes
            replaced[at] = noise[generator.next(noise.count)]
            var inserted = bytes
            inserted.insert(noise[generator.next(noise.count)], at: at)
            for candidate in [Array(bytes[..<at]), replaced, inserted, bytes + [noise[generator.next(noise.count)]]] {
                Self.expectAgrees(String(decoding: candidate, as: UTF8.self))
            }
        }
    }

    @Test("Hand-picked texts where Foundation's reading is peculiar: parsed the same, or left to it")
    func edges() {
        let texts = [
            "3", "3.0", "1e2", "1E2", "-0", "-0.0", "1.5", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "1e400", "1e-400", "0.1e1", "100000000000000000000", "12345678901234567890.0", "9.2e18",
            "9007199254740993.0", "4.9e-324", "2.5e-3", "-1e2", "01", "1.", ".5", "+1", "-", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}",
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\u{01}\"", "\"\\u00e9\\u0000\"", "\"\\x\"", " [1] ", "[1] x",
            "\u{FEFF}[1]", "\"\\/\"", "true", "nul", "truex", "[]", "{}", "[[]]", "{\"a\":{\"b\":[null,false]}}", "", " ", "\"abc",
            "{\"a\" 1}", "{1:2}", "[1 2]", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ]
        for text in texts { Self.expectAgrees(text) }
        #expect(JSONParser.parse("3.0") == .integer(3))
        #expect(JSONParser.parse("{\"a\":[1,2.5,\"x\\n\",true,null]}") == .object([
            "a": .array([.integer(1), .double(2.5), .string("x\n"), .bool(true), .null]),
        ]))
    }

    @Test("Invalid UTF-8 inside a string is declined, not repaired")
    func invalidUTF8() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        #expect(bytes.withUnsafeBufferPointer { JSONParser.parse($0) } == nil)
    }
}

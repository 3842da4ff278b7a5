import Foundation
import ParleyDomain
import ParleyWire
import Testing

/// `JSONColumn` takes the `JSONValue` path for convertible types and Foundation's for the rest;
/// both must store the same bytes and read the same values, and what the fast path declines must
/// still get Foundation's answer.
@Suite("JSONColumn")
struct JSONColumnTests {
    @Test("Metadata, authors and sources are stored as JSONEncoder stores them, and read back equal")
    func sameBytes() throws {
        let metadata = Metadata(["lang": .string("en"), "count": .integer(3), "ratio": .double(0.5), "ok": .bool(true), "url": .string("a/b")])
        #expect(try JSONColumn.encode(metadata) == (try MessageJSONTests.encoded(metadata)))
        #expect(try JSONColumn.decode(Metadata.self, try JSONColumn.encode(metadata)) == metadata)
        let author = MessageAuthor(type: .user, subtypes: ["AI"], userId: "5f1a2b3c4d5e6f7a8b9c0d1e", displayName: "Ann")
        #expect(try JSONColumn.encode(author) == (try MessageJSONTests.encoded(author)))
        #expect(try JSONColumn.decode(MessageAuthor.self, try JSONColumn.encode(author)) == author)
        // Not convertible: Foundation's path, as before.
        #expect(try JSONColumn.encode(["b", "a"]) == #"["b","a"]"#)
        #expect(try JSONColumn.decode([String].self, #"["b","a"]"#) == ["b", "a"])
    }

    @Test("What the fast path declines gets Foundation's answer: a value, or its error")
    func fallback() throws {
        // A trailing comma: the parser declines, Foundation reads it.
        #expect(try JSONColumn.decode(MessageSource.self, #"{"type":"api",}"#) == MessageSource(type: "api"))
        // A field of the wrong kind: the reader declines, Foundation throws.
        #expect(throws: DecodingError.self) { try JSONColumn.decode(MessageAuthor.self, #"{"type":"user","userId":5}"#) }
        #expect(throws: DecodingError.self) { try JSONColumn.decode(MessageAuthor.self, #"{"type":"robot"}"#) }
        #expect(throws: DecodingError.self) { try JSONColumn.decode(Metadata.self, #"[1]"#) }
        // Null optional fields read as absent, as decodeIfPresent reads them.
        #expect(try JSONColumn.decode(MessageAuthor.self, #"{"type":"business","displayName":null}"#) == MessageAuthor(type: .business))
    }
}

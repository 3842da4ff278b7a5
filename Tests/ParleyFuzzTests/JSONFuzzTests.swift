import Foundation
import Testing

@testable import ParleyDomain
@testable import ParleyWire
@testable import ParleyHTTP

/// The JSON readers every body and every stored column goes through. Foundation's `JSONDecoder`,
/// behind the depth limit that keeps it from trapping (`BoundedJSONDecoder`), is the oracle: what
/// `JSONParser` returns, Foundation must return too; what the readers throw must be a
/// `DecodingError` or a `ParleyError` (the two `RequestBodyDecoder` turns into a 400; anything
/// else would be a 500).
@Suite("Fuzz: JSON")
struct JSONFuzzTests {
    static func foundation(_ bytes: [UInt8]) -> Result<JSONValue, any Error> {
        Result { try BoundedJSONDecoder.decode(JSONValue.self, from: Data(bytes)) }
    }

    /// DecodingError, or the 400 `JSONValue` throws for a number out of range.
    static func isDocumented(_ error: any Error) -> Bool {
        if error is DecodingError { return true }
        if let error = error as? ParleyError { return error.kind == .badRequest }
        return false
    }

    @Test("JSONParser.parse: a value it returns is JSONDecoder's value; it never declines plain JSON without fractions")
    func parserAgreesWithFoundation() async throws {
        let report = try await Fuzz.run("JSONParser.parse", filter: "JSONFuzzTests/parserAgreesWithFoundation") { random, report in
            // One document in eight is a valid one without doubles, which the parser must take.
            let plain = random.oneIn(8)
            let bytes = plain ? Array(HostileJSON.text(HostileJSON.value(&random, doubles: false)).utf8) : HostileJSON.document(&random)
            report.trace(Fuzz.show(bytes))
            let parsed = bytes.withUnsafeBufferPointer { JSONParser.parse($0) }
            if plain { report.expect(parsed != nil, "declined plain JSON \(Fuzz.show(bytes))") }
            guard let parsed else {
                report.count("declined")
                return
            }
            report.count("parsed")
            switch Self.foundation(bytes) {
            case .success(let expected): report.expect(parsed == expected, "parsed \(parsed), JSONDecoder \(expected): \(Fuzz.show(bytes))")
            case .failure(let error): report.fail("parsed \(parsed), JSONDecoder threw \(error): \(Fuzz.show(bytes))")
            }
            // The String entry point reads the same bytes.
            if let text = String(validating: bytes, as: UTF8.self) {
                report.expect(JSONParser.parse(text) == parsed, "parse(String) differs from parse(bytes): \(Fuzz.show(text))")
            }
        }
        report.expectReached("parsed", atLeast: Fuzz.cases / 20)
        report.expectReached("declined", atLeast: Fuzz.cases / 20)
    }

    @Test("JSONParser.decode and JSONDecoder<JSONValue>: a value, or a DecodingError / 400 ParleyError, never anything else")
    func decodeThrowsOnlyDocumentedErrors() async throws {
        let report = try await Fuzz.run("JSONParser.decode", filter: "JSONFuzzTests/decodeThrowsOnlyDocumentedErrors") { random, report in
            let bytes = HostileJSON.document(&random)
            report.trace(Fuzz.show(bytes))
            do {
                let value = try JSONParser.decode(Data(bytes))
                report.count("value")
                // Decoded here or by Foundation, the value is Foundation's.
                if case .success(let expected) = Self.foundation(bytes) {
                    report.expect(value == expected, "decode \(value), JSONDecoder \(expected): \(Fuzz.show(bytes))")
                }
            } catch {
                report.count(error is ParleyError ? "ParleyError" : "DecodingError")
                report.expect(Self.isDocumented(error), "JSONParser.decode threw \(String(reflecting: error)) for \(Fuzz.show(bytes))")
            }
            // Nested in one of the containers the wire types decode (`JSONBody`, metadata maps, arrays).
            do {
                switch random.below(3) {
                case 0: _ = try BoundedJSONDecoder.decode([String: JSONValue].self, from: Data(bytes))
                case 1: _ = try BoundedJSONDecoder.decode([JSONValue].self, from: Data(bytes))
                default: _ = try BoundedJSONDecoder.decode(Metadata.self, from: Data(bytes))
                }
            } catch {
                report.expect(Self.isDocumented(error), "a container of JSONValue threw \(String(reflecting: error)) for \(Fuzz.show(bytes))")
            }
        }
        report.expectReached("value", atLeast: Fuzz.cases / 20)
        report.expectReached("ParleyError")
    }

    /// Reads `text` as a `T` both ways: `JSONColumn`'s (fast path, else Foundation) and Foundation's alone.
    static func compareColumn<T: Decodable & Equatable>(_ type: T.Type, _ text: String, _ report: FuzzReport) {
        let column = Result { try JSONColumn.decode(type, text) }
        let foundation = Result { try BoundedJSONDecoder.decode(type, from: Data(text.utf8)) }
        switch (column, foundation) {
        case (.success(let ours), .success(let theirs)):
            report.count("\(T.self) read")
            report.expect(ours == theirs, "JSONColumn read \(ours), JSONDecoder \(theirs): \(Fuzz.show(text))")
        case (.failure(let error), .failure):
            report.count("\(T.self) refused")
            report.expect(isDocumented(error), "JSONColumn threw \(String(reflecting: error)) for \(Fuzz.show(text))")
        case (.success(let ours), .failure(let error)):
            report.fail("JSONColumn read \(ours) where JSONDecoder threw \(error): \(Fuzz.show(text))")
        case (.failure(let error), .success(let theirs)):
            report.fail("JSONColumn threw \(error) where JSONDecoder read \(theirs): \(Fuzz.show(text))")
        }
    }

    static let authorSample: JSONValue = .object([
        "type": .string("user"), "subtypes": .array([.string("AI")]), "userId": .string("5f1a2b3c4d5e6f7a8b9c0d1e"),
        "displayName": .string("Ann"), "avatarUrl": .string("https://example.com/a.png"),
    ])
    static let sourceSample: JSONValue = .object([
        "type": .string("mailgun"), "integrationId": .string("5f1a2b3c4d5e6f7a8b9c0d1e"), "originalMessageId": .string("<a@b>"),
    ])
    static let metadataSample: JSONValue = .object(["lang": .string("en"), "count": .integer(3), "ratio": .double(0.5), "ok": .bool(true)])

    @Test("JSONColumn.decode reads what JSONDecoder reads, and refuses what it refuses, for every convertible type")
    func columnAgreesWithFoundation() async throws {
        let samples = [Self.authorSample, Self.sourceSample, Self.metadataSample]
        let keys = ["type", "subtypes", "userId", "displayName", "avatarUrl", "integrationId", "originalMessageId", "lang"]
        let report = try await Fuzz.run("JSONColumn.decode", filter: "JSONFuzzTests/columnAgreesWithFoundation") { random, report in
            let sample = random.pick(samples)
            let text: String =
                switch random.below(3) {
                case 0: HostileJSON.text(HostileJSON.mutate(sample, &random, keys: keys))
                case 1: String(decoding: HostileJSON.document(&random, samples: samples), as: UTF8.self)
                default: HostileJSON.text(sample.replacingType(random.pick(["user", "business", "robot", "", "User"])))
                }
            report.trace(Fuzz.show(text))
            // One type per case: each comparison costs two full decodes.
            switch random.below(4) {
            case 0: Self.compareColumn(JSONValue.self, text, report)
            case 1: Self.compareColumn(Metadata.self, text, report)
            case 2: Self.compareColumn(MessageAuthor.self, text, report)
            default: Self.compareColumn(MessageSource.self, text, report)
            }
        }
        report.expectReached("MessageAuthor read", atLeast: 10)
        report.expectReached("MessageSource read", atLeast: 10)
        report.expectReached("Metadata read", atLeast: 10)
    }
}

extension JSONValue {
    /// The object with its "type" replaced (an author of another kind).
    func replacingType(_ type: String) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        fields["type"] = .string(type)
        return .object(fields)
    }
}

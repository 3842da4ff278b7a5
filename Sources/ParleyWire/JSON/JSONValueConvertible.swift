import ParleyDomain

/// A `Codable` type that also converts to and from a `JSONValue`: the fast path for stored JSON,
/// written by `JSONWriter` and read by `JSONParser` instead of Foundation's coders.
///
/// `json` must be what the `Encodable` conformance writes (same keys, nil fields left out), so the
/// stored bytes do not depend on the path; `init?(json:)` returns nil for anything the
/// `Decodable` conformance would not read the same way, so callers fall back to `JSONDecoder`
/// and its errors. MessageJSONTests and JSONWriterTests compare the two paths.
public protocol JSONValueConvertible: Codable {
    var json: JSONValue { get }
    init?(json: JSONValue)
}

extension JSONValue: JSONValueConvertible {
    public var json: JSONValue { self }

    public init?(json: JSONValue) {
        self = json
    }
}

extension Metadata: JSONValueConvertible {
    public var json: JSONValue { .object(values) }

    /// As `init(from:)`: any JSON object, unchecked (the rules apply to what clients send).
    public init?(json: JSONValue) {
        guard case .object(let values) = json else { return nil }
        self.init(values)
    }
}

extension MessageAuthor: JSONValueConvertible {}
extension MessageSource: JSONValueConvertible {}

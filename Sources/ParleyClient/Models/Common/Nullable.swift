/// A field of an update body that can be set or cleared: `.value(x)` sends `x`, `.null` sends
/// JSON `null` (which the API reads as "remove it"). Declared as `Nullable<T>?`, a field left nil
/// is not sent at all and the server leaves it as it is.
///
/// Literals make the common case short: `ConversationUpdate(displayName: "Support")`.
public enum Nullable<Wrapped>: Sendable where Wrapped: Sendable {
    case value(Wrapped)
    case null

    /// The value, or nil for `.null`.
    public var value: Wrapped? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension Nullable: Equatable where Wrapped: Equatable {}
extension Nullable: Hashable where Wrapped: Hashable {}

extension Nullable: Codable where Wrapped: Codable {
    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Wrapped.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

extension Nullable: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral, ExpressibleByStringLiteral
where Wrapped == String {
    /// Makes one from its fields; those left nil are not sent.
    public init(stringLiteral value: String) { self = .value(value) }
    /// Makes one from its fields; those left nil are not sent.
    public init(unicodeScalarLiteral value: String) { self = .value(value) }
    /// Makes one from its fields; those left nil are not sent.
    public init(extendedGraphemeClusterLiteral value: String) { self = .value(value) }
}

extension Nullable: ExpressibleByIntegerLiteral where Wrapped == Int {
    /// Makes one from its fields; those left nil are not sent.
    public init(integerLiteral value: Int) { self = .value(value) }
}

extension Nullable: ExpressibleByBooleanLiteral where Wrapped == Bool {
    /// Makes one from its fields; those left nil are not sent.
    public init(booleanLiteral value: Bool) { self = .value(value) }
}

extension Nullable: ExpressibleByDictionaryLiteral where Wrapped == JSONObject {
    /// Makes one from its fields; those left nil are not sent.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .value(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

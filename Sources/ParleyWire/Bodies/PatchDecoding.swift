import Foundation
import ParleyDomain

extension KeyedDecodingContainer {
    /// Decodes a field that a PATCH may leave out, set to null, or set.
    public func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decodeText(type, forKey: key))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a field that may be left out but, when present, may not be null: the schema marks
    /// it non-nullable, and treating null as "absent" would hide a client's mistake.
    public func decodeNonNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw ParleyError.badRequest("\(fieldPath(key)) cannot be null")
        }
        return try decodeText(type, forKey: key)
    }

    /// A field that may be left out or null (both nil).
    public func decodeOptional<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeText(type, forKey: key)
    }

    /// The field's path as titles name it: `participants[0].userExternalId`.
    public func fieldPath(_ key: Key) -> String {
        (codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    /// `decode`, refusing text that holds U+0000 (docs/DECISIONS.md, "Text never holds U+0000").
    private func decodeText<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        let value = try decode(type, forKey: key)
        if let text = value as? String {
            try Rules.noNUL(text, field: fieldPath(key))
        }
        return value
    }
}

/// Coding keys for bodies decoded by hand.
public struct AnyKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { self.stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

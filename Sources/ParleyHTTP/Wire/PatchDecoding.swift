import ParleyDomain

extension KeyedDecodingContainer {
    /// Decodes a field that a PATCH may leave out, set to null, or set.
    func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(type, forKey: key))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a field that may be left out but, when present, may not be null: the schema marks
    /// it non-nullable, and treating null as "absent" would hide a client's mistake.
    func decodeNonNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            let path = (codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw ParleyError.badRequest("\(path) cannot be null")
        }
        return try decode(type, forKey: key)
    }
}

/// Coding keys for bodies decoded by hand.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Reads one JSON object field by field with the API's rules, naming each field by its full path
/// (`content.items[2].actions[0].uri`) in the 400 it throws. It remembers which keys it read, so
/// the caller can keep exactly the known fields (unknown ones are dropped, not echoed back).
public struct JSONReader {
    public let object: [String: JSONValue]
    public let path: String
    private(set) var known: Set<String> = []

    public init(_ value: JSONValue, path: String) throws {
        guard case .object(let object) = value else { throw ParleyError.badRequest("\(path) must be an object") }
        self.object = object
        self.path = path
    }

    public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Fields read through here are not nullable: `null` is refused rather than taken for
    /// "absent", so a client's mistake is not silently dropped (metadata, which is nullable, is
    /// the exception).
    private mutating func value(_ key: String, required: Bool) throws -> JSONValue? {
        guard let value = object[key] else {
            if required { throw ParleyError.badRequest("\(name(key)) is required") }
            return nil
        }
        // Only present keys: `output` keeps known keys of `object`, so an absent one changes
        // nothing, and most optional fields are absent (content rules read every field they know).
        known.insert(key)
        if value == .null { throw ParleyError.badRequest("\(name(key)) cannot be null") }
        return value
    }

    public mutating func string(_ key: String, required: Bool = false, length: ClosedRange<Int>? = nil) throws -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .string(let text) = value else { throw ParleyError.badRequest("\(name(key)) must be a string") }
        try Rules.noNUL(text, field: name(key))
        if let length { try Rules.length(text, length, field: name(key)) }
        return text
    }

    public mutating func uri(_ key: String, required: Bool = false, maxLength: Int = 2048) throws -> String? {
        guard let text = try string(key, required: required) else { return nil }
        try Rules.uri(text, maxLength: maxLength, field: name(key))
        return text
    }

    public mutating func oneOf(_ key: String, _ allowed: [String], required: Bool = false) throws -> String? {
        guard let text = try string(key, required: required) else { return nil }
        guard allowed.contains(text) else {
            throw ParleyError.badRequest("\(name(key)) must be one of \(allowed.joined(separator: ", "))")
        }
        return text
    }

    public mutating func bool(_ key: String) throws -> Bool? {
        guard let value = try value(key, required: false) else { return nil }
        guard case .bool(let flag) = value else { throw ParleyError.badRequest("\(name(key)) must be a boolean") }
        return flag
    }

    mutating func number(_ key: String, required: Bool = false) throws -> Double? {
        guard let value = try value(key, required: required) else { return nil }
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        default: throw ParleyError.badRequest("\(name(key)) must be a number")
        }
    }

    public mutating func integer(_ key: String, required: Bool = false, range: ClosedRange<Int64>? = nil) throws -> Int64? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .integer(let number) = value else {
            // JSON has no integer limit; Parley's integers are 64-bit, and a larger whole number says why it is refused.
            if case .double(let number) = value, number == number.rounded(), abs(number) >= 9.2e18 {
                throw ParleyError.badRequest("\(name(key)) must be an integer from \(Int64.min) to \(Int64.max)")
            }
            throw ParleyError.badRequest("\(name(key)) must be an integer")
        }
        if let range, !range.contains(number) {
            throw ParleyError.badRequest("\(name(key)) must be from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A nullable field of a PATCH-like body: absent, null (clear it), or a value `read` accepts.
    public mutating func patch<Value>(_ key: String, _ read: (inout JSONReader, String) throws -> Value?) throws -> Patch<Value> {
        if object[key] == .null {
            known.insert(key)
            return .null
        }
        return try read(&self, key).map(Patch.value) ?? .absent
    }

    public mutating func array(_ key: String, required: Bool = false, count: ClosedRange<Int>? = nil) throws -> [JSONValue]? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .array(let items) = value else { throw ParleyError.badRequest("\(name(key)) must be an array") }
        if let count, !count.contains(items.count) {
            throw ParleyError.badRequest("\(name(key)) must have from \(count.lowerBound) to \(count.upperBound) items")
        }
        return items
    }

    public mutating func object(_ key: String, required: Bool = false) throws -> JSONReader? {
        guard let value = try value(key, required: required) else { return nil }
        return try JSONReader(value, path: name(key))
    }

    public mutating func metadata(_ key: String) throws -> Metadata? {
        known.insert(key)
        guard let value = object[key], value != .null else { return nil }
        guard case .object(let values) = value else { throw ParleyError.badRequest("\(name(key)) must be an object") }
        return try Metadata.validated(values, field: name(key))
    }

    // Fields the body must have: never nil, so callers need no unwrapping (absent is 400 "… is required").

    public mutating func requireString(_ key: String, length: ClosedRange<Int>? = nil) throws -> String {
        try present(try string(key, required: true, length: length), key)
    }

    public mutating func requireOneOf(_ key: String, _ allowed: [String]) throws -> String {
        try present(try oneOf(key, allowed, required: true), key)
    }

    /// One of `allowed`, by its raw value: the domain's enum, not its spelling.
    public mutating func requireCase<Value: RawRepresentable>(_ key: String, _ allowed: [Value]) throws -> Value where Value.RawValue == String {
        let text = try requireOneOf(key, allowed.map(\.rawValue))
        return try present(allowed.first { $0.rawValue == text }, key)
    }

    mutating func requireNumber(_ key: String) throws -> Double {
        try present(try number(key, required: true), key)
    }

    mutating func requireInteger(_ key: String, range: ClosedRange<Int64>? = nil) throws -> Int64 {
        try present(try integer(key, required: true, range: range), key)
    }

    public mutating func requireArray(_ key: String, count: ClosedRange<Int>? = nil) throws -> [JSONValue] {
        try present(try array(key, required: true, count: count), key)
    }

    public mutating func requireObject(_ key: String) throws -> JSONReader {
        try present(try object(key, required: true), key)
    }

    private func present<Value>(_ value: Value?, _ key: String) throws -> Value {
        guard let value else { throw ParleyError.badRequest("\(name(key)) is required") }
        return value
    }

    /// Marks keys as known without reading them (read-only fields the server sets itself are
    /// dropped by leaving them out of this list instead).
    mutating func accept(_ keys: String...) {
        known.formUnion(keys)
    }

    /// The object reduced to the keys read, with `changes` applied (nil removes a key).
    func output(_ changes: [String: JSONValue?] = [:]) -> JSONValue {
        var result = object.filter { known.contains($0.key) && $0.value != .null }
        for (key, value) in changes { result[key] = value }
        return .object(result)
    }
}

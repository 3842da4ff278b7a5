/// A field of a partial update: left out, set to null, or given a value.
///
/// PATCH bodies need all three: `{"profile":{"email":null}}` clears the email, leaving it out keeps it.
public enum Patch<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    /// Applies the patch to a nullable field.
    public func apply(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .null: nil
        case .value(let value): value
        }
    }

    public var isAbsent: Bool {
        if case .absent = self { true } else { false }
    }
}

extension Patch: Equatable where Value: Equatable {}

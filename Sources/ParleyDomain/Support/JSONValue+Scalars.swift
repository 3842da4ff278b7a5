extension JSONValue {
    /// A string with something in it, as channels read providers' JSON: absent, null, another
    /// type or `""` are all nil.
    public static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    /// A number, integer or floating; anything else is nil.
    public static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let value)?: Double(value)
        case .double(let value)?: value
        default: nil
        }
    }
}

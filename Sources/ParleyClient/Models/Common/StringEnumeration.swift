/// An open set of string values, such as ``ClientType`` or ``WebhookTrigger``: a struct wrapping
/// its `rawValue`, with the values this library knows as `static let` constants.
///
/// Why not a closed `enum`: the API adds values over time (a new channel, a new webhook trigger),
/// and a value this library does not list must not make a whole answer fail to decode. A
/// conforming type decodes any JSON string as itself, compares and switches on it like the known
/// constants, and encodes it back unchanged, so an older client keeps working against a newer
/// server.
///
/// A conforming type only stores `rawValue` and provides the non-failable `init(rawValue:)`;
/// this protocol supplies the rest:
/// - string literals: `let type: ClientType = "whatsapp"`;
/// - `description`, which is the raw value;
/// - `Codable` as a bare JSON string (`"whatsapp"`, not `{"rawValue": "whatsapp"}`), decoding any
///   string.
public protocol StringEnumeration: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String, StringLiteralType == String
{
    /// Wraps `rawValue`, whether or not this library lists it. Never fails.
    init(rawValue: String)
}

extension StringEnumeration {
    /// Wraps the literal, as ``init(rawValue:)`` does.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// The raw value, as sent on the wire.
    public var description: String { rawValue }

    /// Decodes a bare JSON string; any string, listed here or not, decodes as itself.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the raw value as a bare JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

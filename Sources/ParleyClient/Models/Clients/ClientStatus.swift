/// Whether a client can receive messages.
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct ClientStatus: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    /// Makes one from its fields; those left nil are not sent.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Makes one from its fields; those left nil are not sent.
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// `active`: Linked and receiving messages.
    public static let active: ClientStatus = "active"
    /// `blocked`: The user blocked the business on the channel.
    public static let blocked: ClientStatus = "blocked"
    /// `inactive`: No longer receiving messages.
    public static let inactive: ClientStatus = "inactive"
    /// `pending`: A channel link not confirmed yet; every new client starts here.
    public static let pending: ClientStatus = "pending"
}

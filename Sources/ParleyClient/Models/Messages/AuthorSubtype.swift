/// What kind of business author wrote a message.
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct AuthorSubtype: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
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

    /// `AI`: An AI; a disclaimer is appended where the integration says so.
    public static let ai: AuthorSubtype = "AI"
    /// `activity`: A system activity.
    public static let activity: AuthorSubtype = "activity"
    /// `agent`: A human agent (responses only).
    public static let agent: AuthorSubtype = "agent"
    /// `bot`: A bot (responses only).
    public static let bot: AuthorSubtype = "bot"
}

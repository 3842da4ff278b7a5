/// How CreateClient's link is confirmed.
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct ConfirmationType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
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

    /// `immediate`: Linked as soon as the confirmation message is sent (Parley: accepted by the channel).
    public static let immediate: ConfirmationType = "immediate"
    /// `userActivity`: Linked when the user first writes from the channel.
    public static let userActivity: ConfirmationType = "userActivity"
    /// `prompt`: Linked when the user answers the confirmation message yes.
    public static let prompt: ConfirmationType = "prompt"
}

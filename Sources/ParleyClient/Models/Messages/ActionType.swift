/// The kind of a message action (a button).
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct ActionType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
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

    /// `buy`: A payment of `amount` cents.
    public static let buy: ActionType = "buy"
    /// `link`: Opens `uri`.
    public static let link: ActionType = "link"
    /// `locationRequest`: Asks the user for their location.
    public static let locationRequest: ActionType = "locationRequest"
    /// `postback`: Sends `payload` back in a `conversation:postback` event.
    public static let postback: ActionType = "postback"
    /// `reply`: A quick reply whose text becomes the user's message.
    public static let reply: ActionType = "reply"
    /// `webview`: Opens `uri` in a webview, `fallback` where none exists.
    public static let webview: ActionType = "webview"
}

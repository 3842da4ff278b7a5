/// The kind of a message action (a button).
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ActionType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

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

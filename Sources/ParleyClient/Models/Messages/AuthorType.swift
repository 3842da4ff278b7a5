/// Who wrote a message.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct AuthorType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `business`: The business (an agent, a bot, the API).
    public static let business: AuthorType = "business"
    /// `user`: A user of the app.
    public static let user: AuthorType = "user"
}

/// What kind of business author wrote a message.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct AuthorSubtype: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `AI`: An AI; a disclaimer is appended where the integration says so.
    public static let ai: AuthorSubtype = "AI"
    /// `activity`: A system activity.
    public static let activity: AuthorSubtype = "activity"
    /// `agent`: A human agent (responses only).
    public static let agent: AuthorSubtype = "agent"
    /// `bot`: A bot (responses only).
    public static let bot: AuthorSubtype = "bot"
}

/// What PostActivity reports.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ActivityType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `conversation:read`: The author read the conversation.
    public static let conversationRead: ActivityType = "conversation:read"
    /// `typing:start`: The author started typing.
    public static let typingStart: ActivityType = "typing:start"
    /// `typing:stop`: The author stopped typing.
    public static let typingStop: ActivityType = "typing:stop"
}

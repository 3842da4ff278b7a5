/// What PostActivity reports.
public enum ActivityType: String, Sendable, CaseIterable {
    case conversationRead = "conversation:read"
    case typingStart = "typing:start"
    case typingStop = "typing:stop"
}

/// One line of an app's export: the app first, then its users, then each conversation followed
/// by its messages, oldest first.
public enum ExportRecord: Sendable {
    case app(App)
    case user(User)
    case conversation(Conversation)
    case message(Message)
}

/// A conversation as the agent inbox lists it.
public struct InboxEntry: Sendable {
    public var conversation: Conversation
    /// The first participant (the user a personal conversation is with).
    public var userId: ResourceID?
    public var lastMessage: Message?
    /// The users' messages received after `businessLastRead`.
    public var unreadCount: Int

    public init(conversation: Conversation, userId: ResourceID?, lastMessage: Message?, unreadCount: Int) {
        self.conversation = conversation
        self.userId = userId
        self.lastMessage = lastMessage
        self.unreadCount = unreadCount
    }
}

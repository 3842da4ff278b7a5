/// Persistence of messages and of what reading them changes.
public protocol MessageStore: Sendable {
    /// Appends a message in one transaction with everything it changes: the conversation's
    /// `lastUpdatedAt` and message count, every other participant's unread count, and (for a user
    /// author) that participant's read state. Throws 423 `locked` when the conversation already
    /// holds `limit` messages; nil when the conversation does not exist. `channelJobs` (deliveries of
    /// the message to users' channels) are queued in the same transaction. A message whose
    /// `externalKey` is already stored is refused with 409 `conflict` and nothing is written.
    func appendMessage(
        _ message: Message, limit: Int, channelJobs: [ChannelJob], events: @escaping @Sendable (Message) -> [OutboxEvent]
    ) async throws -> Message?
    /// Messages in time order; `PageRequest.Cursor.first` means the newest page.
    func messages(conversationId: ResourceID, page: PageRequest) async throws -> Page<Message>
    func deleteMessage(conversationId: ResourceID, id: ResourceID) async throws -> Bool
    func deleteAllMessages(conversationId: ResourceID) async throws
    /// A user read the conversation: their unread count goes to 0 and `lastRead` to `at`.
    func markRead(conversationId: ResourceID, userId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws
    /// The business read the conversation: `businessLastRead` goes to `at`.
    func markBusinessRead(conversationId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws
}

extension MessageStore {
    /// A message that goes to no channel.
    public func appendMessage(_ message: Message, limit: Int, events: @escaping @Sendable (Message) -> [OutboxEvent]) async throws -> Message? {
        try await appendMessage(message, limit: limit, channelJobs: [], events: events)
    }
}

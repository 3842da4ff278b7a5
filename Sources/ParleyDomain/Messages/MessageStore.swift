/// Persistence of messages and of what reading them changes.
public protocol MessageStore: Sendable {
    /// Appends a message in one transaction with everything it changes: the conversation's
    /// `lastUpdatedAt` and message count, every other participant's unread count, and (for a user
    /// author) that participant's read state. Throws 423 `locked` when the conversation already
    /// holds `limit` messages; nil when the conversation does not exist. A message whose
    /// `externalKey` is already stored is refused with 409 `conflict` and nothing is written.
    /// The message's `attachments` not yet used by another message (nor linked to another
    /// conversation) are linked to it, and to its author when a user wrote it.
    ///
    /// The closures run inside that transaction, on what it reads, so nothing they decide can be
    /// out of date by the time it commits, whatever the caller read before:
    /// - `channelJobs`, when given, turns the conversation's active channel clients into the
    ///   deliveries of the message to users' channels, queued in the same transaction;
    /// - `events` makes the message's events from the conversation as this transaction leaves it
    ///   (its current metadata, the new `lastUpdatedAt`).
    func appendMessage(
        _ message: Message, limit: Int, channelJobs: (@Sendable (_ activeClients: [Client]) -> [ChannelJob])?,
        events: @escaping @Sendable (_ message: Message, _ conversation: Conversation) -> [OutboxEvent]
    ) async throws -> Message?
    func message(conversationId: ResourceID, id: ResourceID) async throws -> Message?
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
    public func appendMessage(
        _ message: Message, limit: Int, events: @escaping @Sendable (_ message: Message, _ conversation: Conversation) -> [OutboxEvent]
    ) async throws -> Message? {
        try await appendMessage(message, limit: limit, channelJobs: nil, events: events)
    }
}

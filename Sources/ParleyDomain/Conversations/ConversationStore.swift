/// Persistence of conversations and their participants.
public protocol ConversationStore: Sendable {
    /// Inserts a conversation with its participants in one transaction. For a personal
    /// conversation the store decides `isDefault` inside that transaction: true when the user had
    /// no personal conversation yet. Returns the conversation as stored. `events` builds, inside the
    /// transaction, the webhook events the creation causes (the outbox); the same holds for every
    /// `events` parameter below.
    func insertConversation(
        _ conversation: Conversation, participants: [Participant], events: @escaping @Sendable (Conversation) -> [OutboxEvent]
    ) async throws -> Conversation
    func conversation(appId: ResourceID, id: ResourceID) async throws -> Conversation?
    /// The conversations a user takes part in, in creation order.
    func conversations(appId: ResourceID, userId: ResourceID, page: PageRequest) async throws -> Page<Conversation>
    func updateConversation(appId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Conversation) throws -> Void) async throws -> Conversation?
    /// Deletes the conversation, its participants and messages; false when there was none.
    func deleteConversation(appId: ResourceID, id: ResourceID, events: [OutboxEvent]) async throws -> Bool

    /// Adds a participant unless the conversation already has `limit` of them (400) or the user
    /// is already in it (409), checked in the insert's transaction.
    func insertParticipant(_ participant: Participant, limit: Int, events: [OutboxEvent]) async throws
    func participant(conversationId: ResourceID, userId: ResourceID) async throws -> Participant?
    func participants(conversationId: ResourceID, page: PageRequest) async throws -> Page<Participant>
    /// Removes the participant matching the reference (user id, external id or participant id).
    func deleteParticipant(
        conversationId: ResourceID, appId: ResourceID, _ reference: ParticipantReference, events: @escaping @Sendable (Participant) -> [OutboxEvent]
    ) async throws -> Bool
}

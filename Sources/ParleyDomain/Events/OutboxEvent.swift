/// A webhook event, written in the same transaction as the change that causes it (the outbox).
/// Stores fan it out to every webhook of the app subscribed to its type in that same transaction;
/// the dispatcher delivers from there.
public struct OutboxEvent: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    /// Its trigger: webhooks subscribed to it receive it.
    public var type: EventType
    /// Events of one conversation reach a webhook in order; nil for events outside conversations.
    public var conversationId: ResourceID?
    public var createdAt: Timestamp
    /// What the event tells; rendered to the webhook's `payload` when the store records it.
    public var payload: EventPayload

    public init(id: ResourceID, appId: ResourceID, type: EventType, conversationId: ResourceID?, createdAt: Timestamp, payload: EventPayload) {
        self.id = id
        self.appId = appId
        self.type = type
        self.conversationId = conversationId
        self.createdAt = createdAt
        self.payload = payload
    }
}

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
    /// The event's `payload` as the webhook receives it (before per-webhook options are applied).
    public var payload: JSONValue

    public init(id: ResourceID, appId: ResourceID, type: EventType, conversationId: ResourceID?, createdAt: Timestamp, payload: JSONValue) {
        self.id = id
        self.appId = appId
        self.type = type
        self.conversationId = conversationId
        self.createdAt = createdAt
        self.payload = payload
    }
}

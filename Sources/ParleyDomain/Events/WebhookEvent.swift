/// A webhook event, written in the same transaction as the change that causes it (the outbox).
/// Stores fan it out to every webhook of the app subscribed to its type in that same transaction;
/// the dispatcher delivers from there. What its payload is depends on where it is: see
/// `OutboxEvent` and `RecordedEvent`.
public struct WebhookEvent<Payload: Hashable & Sendable>: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    /// Its trigger: webhooks subscribed to it receive it.
    public var type: EventType
    /// Events of one conversation reach a webhook in order; nil for events outside conversations.
    public var conversationId: ResourceID?
    public var createdAt: Timestamp
    public var payload: Payload

    public init(id: ResourceID, appId: ResourceID, type: EventType, conversationId: ResourceID?, createdAt: Timestamp, payload: Payload) {
        self.id = id
        self.appId = appId
        self.type = type
        self.conversationId = conversationId
        self.createdAt = createdAt
        self.payload = payload
    }

    /// What the event keeps its order within: its conversation, else (user and client events) its
    /// app. A webhook receives the events of one key in commit order; events of different keys
    /// may reach it in either order.
    public var orderingKey: ResourceID {
        conversationId ?? appId
    }
}

/// An event as a change records it: what it tells, in the domain's types (rendered to the
/// webhook's `payload` by the store as it records it).
public typealias OutboxEvent = WebhookEvent<EventPayload>

/// An event as the outbox keeps it: its payload already rendered to the webhook's JSON, which the
/// dispatcher sends as it is (after each webhook's options).
public typealias RecordedEvent = WebhookEvent<JSONValue>

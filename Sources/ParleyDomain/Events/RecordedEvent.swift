/// An event as the outbox keeps it: its payload already rendered to the webhook's JSON, which the
/// dispatcher sends as it is (after each webhook's options).
public struct RecordedEvent: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    public var type: EventType
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

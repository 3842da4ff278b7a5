/// That an event of a conversation has committed: what the realtime hub hears from the store
/// (the event itself is read back from the store, so every socket sees the one rendering).
public struct EventNotice: Hashable, Sendable {
    public var appId: ResourceID
    public var conversationId: ResourceID
    /// The event's place in its conversation (`SequencedEvent.seq`).
    public var seq: Int64
    public var type: EventType

    public init(appId: ResourceID, conversationId: ResourceID, seq: Int64, type: EventType) {
        self.appId = appId
        self.conversationId = conversationId
        self.seq = seq
        self.type = type
    }
}

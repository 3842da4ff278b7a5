/// What the hub hands a realtime subscriber (a socket renders it; docs/MESSENGER.md).
public enum RealtimeFrame: Hashable, Sendable {
    /// One event of a conversation the subscriber follows.
    case event(conversationId: ResourceID, SequencedEvent)
    /// The replay asked for is complete; `seq` is the latest number the subscriber now holds.
    case subscribed(conversationId: ResourceID, seq: Int64)
    /// Something happened in a conversation of a watched app (the inbox's list).
    case notice(EventNotice)
}

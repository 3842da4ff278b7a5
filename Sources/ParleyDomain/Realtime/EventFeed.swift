/// How a store tells the realtime hub that conversation events have committed: in-process for
/// SQLite, through LISTEN/NOTIFY for PostgreSQL, so an event committed on any node reaches the
/// sockets of every node.
public protocol EventFeed: Sendable {
    /// Notices as events commit, for one consumer. Per conversation they come in sequence order;
    /// `resync` says some may have been missed (a lost connection), and the consumer reads back
    /// what it follows.
    func updates() -> AsyncStream<EventFeedUpdate>
}

public enum EventFeedUpdate: Hashable, Sendable {
    case notices([EventNotice])
    case resync
}

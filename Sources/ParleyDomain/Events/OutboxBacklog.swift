/// What waits to be sent, as `/metrics` shows it: webhook deliveries and channel jobs pending,
/// how old the oldest waiting webhook event is, how late the most overdue channel send is, and
/// how many were given up on.
public struct OutboxBacklog: Hashable, Sendable {
    public var webhookPending = 0
    /// When the oldest event with a pending delivery was created.
    public var webhookOldestPending: Timestamp?
    public var webhookDead = 0
    public var channelPending = 0
    /// The earliest time a pending channel job was due.
    public var channelOldestDue: Timestamp?
    public var channelDead = 0

    public init() {}
}

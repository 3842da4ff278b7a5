/// How a `PostgresStore` uses its database: pool size, how long a request may wait for a
/// connection, and how long a node's claim on outbox work lasts.
public struct PostgresStoreOptions: Sendable {
    /// Connections this node keeps at most. The default (10) suits a 2-core node; several nodes
    /// multiply it, so `max_connections` must cover nodes × this.
    public var maximumConnections: Int
    /// How long a request waits for a pooled connection while the database answers normally.
    /// Past it the request fails with 503: under overload, shedding beats queueing without end.
    public var acquireTimeout: Duration
    /// The wait once a connection failure has been seen and no query has succeeded since: short, so
    /// that while PostgreSQL is down or restarting requests fail fast with 503 instead of piling up.
    public var degradedAcquireTimeout: Duration
    /// How long a node owns the webhook batch it claimed. Must exceed the longest send (the
    /// webhook timeout) with room to record the outcome: a claim that expires while its node is
    /// still sending lets another node send the same batch again (a duplicate). A node that dies
    /// mid-send holds its claims for this long, then another node retries them.
    public var webhookClaimMilliseconds: Int64
    /// The same for a channel job (bounded by the channel send timeout).
    public var channelClaimMilliseconds: Int64
    /// Closes pooled connections idle this long (tests use a short one; many stores share one server).
    public var connectionIdleTimeout: Duration

    public init(
        maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(2), degradedAcquireTimeout: Duration = .milliseconds(250),
        webhookClaimMilliseconds: Int64 = 60_000, channelClaimMilliseconds: Int64 = 60_000, connectionIdleTimeout: Duration = .seconds(60)
    ) {
        self.maximumConnections = maximumConnections
        self.acquireTimeout = acquireTimeout
        self.degradedAcquireTimeout = degradedAcquireTimeout
        self.webhookClaimMilliseconds = webhookClaimMilliseconds
        self.channelClaimMilliseconds = channelClaimMilliseconds
        self.connectionIdleTimeout = connectionIdleTimeout
    }
}

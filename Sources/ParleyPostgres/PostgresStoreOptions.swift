import CoreMetrics

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
    /// Keeps keys and apps in memory while `run()` runs, kept true by a listening connection of
    /// its own (`PostgresCaches`). Off, every request reads them from the database.
    public var caching: Bool
    /// How the cache listener watches its connection, and how soon it connects again after losing it.
    public var cacheHeartbeatInterval: Duration
    public var cacheHeartbeatTimeout: Duration
    public var cacheRetryDelay: Duration
    /// How the node's connections are named in `pg_stat_activity` (the pool's; its listening
    /// connections add `-cache` and `-realtime`).
    public var applicationName: String
    /// Where `parley_postgres_connection_wait_seconds` is recorded: how long each statement waited
    /// for a pooled connection.
    public var metrics: any MetricsFactory = NOOPMetricsHandler.instance

    public init(
        maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(2), degradedAcquireTimeout: Duration = .milliseconds(250),
        webhookClaimMilliseconds: Int64 = 60_000, channelClaimMilliseconds: Int64 = 60_000, connectionIdleTimeout: Duration = .seconds(60),
        caching: Bool = true, cacheHeartbeatInterval: Duration = .milliseconds(250), cacheHeartbeatTimeout: Duration = .milliseconds(500),
        cacheRetryDelay: Duration = .seconds(1), applicationName: String = "parley"
    ) {
        self.maximumConnections = maximumConnections
        self.acquireTimeout = acquireTimeout
        self.degradedAcquireTimeout = degradedAcquireTimeout
        self.webhookClaimMilliseconds = webhookClaimMilliseconds
        self.channelClaimMilliseconds = channelClaimMilliseconds
        self.connectionIdleTimeout = connectionIdleTimeout
        self.caching = caching
        self.cacheHeartbeatInterval = cacheHeartbeatInterval
        self.cacheHeartbeatTimeout = cacheHeartbeatTimeout
        self.cacheRetryDelay = cacheRetryDelay
        self.applicationName = applicationName
    }
}

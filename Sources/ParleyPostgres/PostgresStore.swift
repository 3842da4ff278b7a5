import CoreMetrics
import Foundation
import Logging
import ParleyDomain
import PostgresNIO
import ServiceLifecycle
import Tracing
import Synchronization

/// The shared store: PostgreSQL through postgres-nio's `PostgresClient` (a connection pool), so
/// several `parley serve` nodes can work on one database.
///
/// It keeps SQLiteStore's semantics statement for statement. Where SQLite's single writer made a
/// read-then-write safe, this store takes the lock that makes it safe on PostgreSQL (READ
/// COMMITTED): the parent row `FOR NO KEY UPDATE` before a capped insert, a per-app advisory
/// lock before events are numbered (see `record`), `FOR UPDATE SKIP LOCKED` claims with a lease
/// for outbox work (see `dueBatches`).
///
/// The pool only works while its `run()` runs: `run()` (this store is a `Service`, started by the
/// server's service group) serves requests; `withRunning` runs a pool around a piece of work
/// (migrations and the account key at start-up, the `keys` command, tests). Each gets a client
/// of its own, because a postgres-nio client runs once.
///
/// Outages: a request waits at most `acquireTimeout` for a connection (250 ms once a failure has
/// been seen), then fails with 503 `service_unavailable`; connection errors mid-statement are 503
/// too, and so is a connection that closes under a statement that never gets its answer. The pool
/// reconnects by itself.
///
/// Caches: keys and apps are kept in memory while `run()` runs (`PostgresCaches`), kept true on
/// every node through LISTEN/NOTIFY; nothing else is cached, so every node sees every other commit.
public final class PostgresStore: ParleyStore, Service {
    public let url: PostgresURL
    let options: PostgresStoreOptions
    let logger: Logger
    /// The pool that serves requests; made here (which starts nothing) and run by `run()`, so a
    /// request that comes in before the service group has started it waits for it instead of failing.
    private let servingClient: PostgresClient
    /// A pool of `withRunning`'s own while it runs: a postgres-nio client can run only once.
    private let temporaryClient = Mutex<PostgresClient?>(nil)
    /// Set by a connection failure, cleared by the next success: while set, leases wait only
    /// `degradedAcquireTimeout`.
    private let degraded = Atomic<Bool>(false)
    /// Ends an operation whose connection closed under it (see `LeaseDeadline`).
    private let connectionWatch = ConnectionWatch()
    /// Keys and apps; on only while `run()`'s listener hears every change.
    let caches = PostgresCaches()
    /// `parley_postgres_connection_wait_seconds`.
    private let connectionWait: CoreMetrics.Timer

    public init(url: PostgresURL, options: PostgresStoreOptions = PostgresStoreOptions(), logger: Logger = Logger(label: "parley.postgres")) {
        self.connectionWait = CoreMetrics.Timer(label: "parley_postgres_connection_wait_seconds", factory: options.metrics)
        self.url = url
        self.options = options
        self.logger = logger
        self.servingClient = Self.makeClient(url: url, options: options, logger: logger)
    }


    private static func makeClient(url: PostgresURL, options: PostgresStoreOptions, logger: Logger) -> PostgresClient {
        var configuration = url.clientConfiguration()
        configuration.options.maximumConnections = options.maximumConnections
        configuration.options.connectionIdleTimeout = options.connectionIdleTimeout
        configuration.options.connectTimeout = .seconds(5)
        // synchronous_commit=on whatever the server's default: a request is answered only after its
        // commit is flushed to the WAL on disk, so neither a crash nor a power cut loses anything
        // acknowledged (docs/DECISIONS.md, "Durability").
        var parameters = [("application_name", options.applicationName), ("synchronous_commit", "on")]
        if let searchPath = url.searchPath { parameters.append(("search_path", searchPath)) }
        configuration.options.additionalStartupParameters = parameters
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    public var eventFeed: any EventFeed {
        PostgresEventFeed(url: url, applicationName: options.applicationName + "-realtime", logger: logger)
    }

    /// Serves until graceful shutdown or cancellation; call it once. List this store before the
    /// HTTP server in a service group, so that on shutdown it stops after in-flight requests.
    public func run() async throws {
        guard options.caching else {
            await servingClient.run()
            return
        }
        let listener = PostgresCacheListener(
            url: url, applicationName: options.applicationName + "-cache", caches: caches, logger: logger, retryDelay: options.cacheRetryDelay,
            heartbeatInterval: options.cacheHeartbeatInterval, heartbeatTimeout: options.cacheHeartbeatTimeout)
        await withDiscardingTaskGroup { group in
            group.addTask { await listener.run() }
            await servingClient.run()
            group.cancelAll()
        }
    }

    /// Runs `body` with a pool of its own up, then shuts that pool down.
    public func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let client = Self.makeClient(url: url, options: options, logger: logger)
        temporaryClient.withLock { $0 = client }
        defer { temporaryClient.withLock { $0 = nil } }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body()
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Start-up work that several nodes starting at once must not do side by side (migrations,
    /// creating the first account key): the first node to take this session lock does it, the
    /// others wait, then see what it did. The lock goes with the connection, so a node that dies
    /// holding it frees it.
    public func withStartupLock<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await read { connection in
            // Per schema: installations in different schemas of one database do not wait for each other.
            try await connection.run("SELECT pg_advisory_lock(\(Self.startupLockSpace), hashtext(current_setting('search_path')))")
            do {
                let result = try await body()
                try await connection.run("SELECT pg_advisory_unlock(\(Self.startupLockSpace), hashtext(current_setting('search_path')))")
                return result
            } catch {
                _ = try? await connection.run("SELECT pg_advisory_unlock(\(Self.startupLockSpace), hashtext(current_setting('search_path')))")
                throw error
            }
        }
    }

    /// Advisory-lock namespace of start-up (the first key of `pg_advisory_lock(int, int)`).
    static let startupLockSpace: Int32 = 0x5061_7253  // "ParS"

    /// A pool runs for the duration, and the whole of it holds the start-up lock.
    public func startUp<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withRunning {
            try await withStartupLock {
                try await self.migrate()
                return try await work()
            }
        }
    }

    public func migrate() async throws {
        let schema = url.searchPath
        try await write { connection in try await PostgresMigrations.apply(connection, schema: schema, logger: self.logger) }
    }

    // MARK: - Running statements

    /// One connection, no transaction: for single statements.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.traced("PostgreSQL read") { try await lease { connection in try await body(connection) } }
    }

    /// A client span for a statement or transaction, within a traced request or delivery only:
    /// the dispatchers' idle polls would otherwise be a trace each, ten times a second.
    static func traced<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        guard ServiceContext.current != nil else { return try await body() }
        return try await withSpan(name, ofKind: .client) { span in
            span.attributes["db.system"] = "postgresql"
            return try await body()
        }
    }

    /// A read-only REPEATABLE READ transaction: several statements that must see one snapshot
    /// (a page and its "more on the other side" probe, a user and its identities).
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.traced("PostgreSQL snapshot") {
            try await lease { connection in
                try await Self.transaction(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
            }
        }
    }

    /// BEGIN, the body, COMMIT; ROLLBACK and the body's own error when it throws (postgres-nio's
    /// `withTransaction` would wrap a `ParleyError` in its own error type, hiding the 4xx).
    private static func transaction<T: Sendable>(
        _ connection: PostgresConnection, _ begin: PostgresQuery, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.run(begin)
        let result: T
        do {
            result = try await body(connection)
        } catch {
            // Not on a session that has ended: the restart test caught a ROLLBACK sent right after
            // PostgreSQL's shutdown error waiting until the client gave up. The server rolls back a
            // transaction whose session ends.
            if !connection.isClosed && !PostgresFailure.sessionEnded(error) {
                _ = try? await connection.run("ROLLBACK")
            }
            throw error
        }
        try await connection.run("COMMIT")
        return result
    }

    /// A READ COMMITTED write transaction, retried (up to 3 times) when PostgreSQL reports a
    /// deadlock or serialization failure: the whole transaction ran again, so nothing is doubled.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.traced("PostgreSQL transaction") { try await retriedWrite(body) }
    }

    private func retriedWrite<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                let logger = self.logger
                return try await lease { connection in
                    let notices = CommittedNotices()
                    let result = try await CommittedNotices.$current.withValue(notices) {
                        try await Self.transaction(connection, "BEGIN", body)
                    }
                    do {
                        try await CommittedNotices.send(notices.all, on: connection)
                    } catch {
                        // Committed all the same: sockets hear of it with the conversation's next event.
                        logger.warning("Could not notify realtime listeners", metadata: ["error": "\(String(reflecting: error))"])
                    }
                    return result
                }
            } catch let error as PSQLError where attempt < 3 && PostgresFailure.isRetryable(error) {
                attempt += 1
            }
        }
    }

    /// Leases a connection within the acquire deadline and maps failures to the API's errors.
    private func lease<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = temporaryClient.withLock { $0 } ?? servingClient
        let watch = connectionWatch
        let connectionWait = self.connectionWait
        let timeout = degraded.load(ordering: .relaxed) ? options.degradedAcquireTimeout : options.acquireTimeout
        do {
            let result = try await LeaseDeadline.run(
                timeout: timeout, body: body,
                whenClosed: { connection, callback in watch.watch(connection, onClose: callback) }
            ) { use in
                let asked = ContinuousClock.now
                return try await client.withConnection { connection in
                    let waited = ContinuousClock.now - asked
                    connectionWait.recordNanoseconds(waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
                    return try await use(connection)
                }
            }
            degraded.store(false, ordering: .relaxed)
            return result
        } catch {
            let mapped = PostgresFailure.map(error)
            if PostgresFailure.isUnavailable(mapped) {
                degraded.store(true, ordering: .relaxed)
                logger.warning("PostgreSQL unavailable", metadata: ["error": "\(String(reflecting: error))"])
            }
            throw mapped
        }
    }
}

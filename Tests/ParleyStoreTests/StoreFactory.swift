import Foundation
import Logging
import ParleyDomain
import ParleyPostgres
import ParleySQLite
import ParleyTestSupport

/// One way to get a fresh, migrated store. Every test in this target runs once per factory, so a
/// new store implementation joins by adding itself to `all`.
struct StoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () async throws -> any ParleyStore
    /// A second store on the same data, as a restarted process would open it.
    let reopen: (@Sendable (any ParleyStore) async throws -> any ParleyStore)?

    static let sqlite = StoreFactory(
        description: "SQLite",
        make: {
            let store = try SQLiteStore(path: temporaryPath())
            try await store.migrate()
            return store
        },
        reopen: { store in
            let reopened = try SQLiteStore(path: (store as! SQLiteStore).path)
            try await reopened.migrate()
            return reopened
        })

    /// Each store gets a database of its own on the server `PARLEY_TEST_POSTGRES_URL` names.
    static let postgres = StoreFactory(
        description: "PostgreSQL",
        make: { try await startedPostgresStore(url: try PostgresURL(try await PostgresTestDatabase.make())) },
        reopen: { store in try await startedPostgresStore(url: (store as! PostgresStore).url) })

    /// SQLite always; PostgreSQL too when `PARLEY_TEST_POSTGRES_URL` is set (as `.ci/run` does).
    /// Without it, `PostgresAvailabilityTests` is reported skipped, so the summary shows it.
    static let all: [StoreFactory] = PostgresTestDatabase.serverURL == nil ? [.sqlite] : [.sqlite, .postgres]

    static func temporaryPath() -> String {
        Scratch.file("store.sqlite")
    }

    /// Small pools with a short idle timeout: hundreds of test stores share one server. A long
    /// wait for a connection, as the HTTP suite's servers have: dozens of stores open their first
    /// connections at once on two cores, and a loaded machine (a release build beside the tests)
    /// took longer than the production default's 2 s. No caches (`PostgresNodeCacheTests` turns
    /// them on): these stores run until the process ends, and each cache listener would hold a
    /// connection that long.
    static let testOptions = PostgresStoreOptions(
        maximumConnections: 3, acquireTimeout: .seconds(60), webhookClaimMilliseconds: 60_000, channelClaimMilliseconds: 60_000,
        connectionIdleTimeout: .seconds(2), caching: false)

    /// A store whose pool serves for the rest of the test process, as the server's service group
    /// would run it.
    static func startedPostgresStore(url: PostgresURL, options: PostgresStoreOptions = testOptions) async throws -> PostgresStore {
        var logger = Logger(label: "parley.postgres")
        logger.logLevel = .warning
        let store = PostgresStore(url: url, options: options, logger: logger)
        // Unstructured on purpose, and only in tests: the conformance suite's stores have no scope
        // to run their pool in, and the process ends when the tests do.
        Task { try await store.run() }
        try await store.migrate()
        return store
    }
}

import Foundation
import CoreMetrics
import Tracing
import GRDB
import GRDBSQLite
import Logging
import ParleyDomain

/// The embedded store: one SQLite file in WAL mode, reached through a GRDB `DatabasePool`
/// (one writer, several concurrent readers).
///
/// Durability: WAL mode, and every commit is flushed to disk before its request is answered, so
/// neither a process crash (SIGKILL) nor a power cut loses anything acknowledged (given a disk
/// that honours flushes). Group commit (`GroupCommitWriter`) makes that one flush per batch of
/// concurrent writes, and `WALFlusher` runs it beside the next batch rather than inside the commit
/// (docs/DECISIONS.md, "Durability").
public final class SQLiteStore: ParleyStore {
    let pool: DatabasePool
    /// Every write transaction goes through it (see `GroupCommitWriter`).
    private let writer: GroupCommitWriter
    /// The WAL the writer's batches are flushed through (see `WALFlusher`).
    let wal: SQLiteFile
    /// Connections for `readStatement`.
    private let lookups: LookupReaders
    /// Authentication's key lookups. Keys never change once created, they only disappear: every
    /// method that deletes keys (DeleteAppKey, DeleteCustomIntegrationKey, and with their app or
    /// integration) invalidates it before it returns, so a deleted key is refused from the moment
    /// the delete is answered. One process owns the file, so no other writer can go unheard.
    let keyCache = ReadCache<KeyID, APIKey>()
    /// The database file, for diagnostics and tests that reopen it.
    public let path: String
    /// Tells the realtime hub of committed events; poked after every write.
    private let feed: SQLiteEventFeed
    public var eventFeed: any EventFeed { feed }

    /// Opens (creating if needed) the database file at `path`.
    /// `logger`: where a failed flush of the disk is reported (the one critical line the store writes).
    /// `metrics`: group commits' batch sizes and checkpoint passes (`GroupCommitWriter`, `Checkpointer`).
    public init(path: String, logger: Logger = Logger(label: "parley.sqlite"), metrics: any MetricsFactory = NOOPMetricsHandler.instance) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers queue for up to 5 s instead of failing at once when a lock is held; between
        // processes that covers a server that is still shutting down when the next one starts.
        configuration.busyMode = .timeout(5)
        Self.chooseFileLayers
        do {
            self.pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw DatabaseInUseError(path: path)
        }
        // Only the writer's settings matter (readers commit nothing). NORMAL: commits do not
        // flush, `WALFlusher` does (checkpoints still flush before they copy the WAL back).
        // The writer's page cache survives between its transactions (no other connection writes),
        // so a bigger one keeps the pages posts touch (each conversation's row, the tail of its
        // messages, its participants) instead of reading them back from the WAL: SQLite's
        // default 2 MiB made each post read ≈ 17 kB, 32 MiB ≈ 10 kB (BENCHMARKS.md, "Round 3").
        // Readers gain nothing from a bigger cache: WAL mode empties theirs whenever the
        // database has changed.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Checkpoints run beside the writer (see `Checkpointer`); this is its fallback.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Checkpointer.writerFallbackFrames)")
        }
        // Opening the pool in WAL mode has created the WAL file.
        let wal = try SQLiteFile(.wal, databasePath: path)
        let database = try SQLiteFile(.database, databasePath: path)
        self.wal = wal
        let flusher = WALFlusher(flush: wal.flush, logger: logger)
        let checkpointer = try Checkpointer(
            path: path, flushDatabase: database.flush, stopWrites: { flusher.stop($0) },
            passes: Counter(label: "parley_sqlite_checkpoints_total", factory: metrics))
        self.writer = GroupCommitWriter(
            pool: pool, flusher: flusher, checkpointer: checkpointer,
            batchSizes: Recorder(label: "parley_sqlite_commit_batch_size", factory: metrics))
        self.lookups = LookupReaders(path: path)
        self.path = path
        self.feed = SQLiteEventFeed(pool: pool)
    }

    /// The file system layer every SQLite connection of this process goes through, chosen once
    /// before the first connection opens.
    ///
    /// Every database this process opens is held by it alone, through SQLite's "unix-excl"
    /// layer: the first connection locks the file against other processes until the process ends,
    /// and the connections inside the process coordinate in memory. Why: with the default layer,
    /// every statement's read lock and every change of a reader's mark was a `fcntl` call (2.6 per
    /// post, 5–10 % of a post's CPU, BENCHMARKS.md "Round 5"). And one process per database is what
    /// the store already assumes: its key cache forgets a deleted key only in its own process, so a
    /// second server on the same file would go on accepting it. A second process now fails to open
    /// the file instead (`DatabaseInUseError`).
    ///
    /// "unix-excl" is one of SQLite's documented built-in layers ("The SQLite OS Interface"); Parley
    /// adds none of its own, so how frames reach the WAL is SQLite's alone (docs/DECISIONS.md,
    /// "Durability").
    static let chooseFileLayers: Void = {
        sqlite3_vfs_register(sqlite3_vfs_find("unix-excl"), 1)
    }()

    /// Runs `updates` in a write transaction, committed together with the writes queued beside it,
    /// and answers once that is on disk (or, with `durable: false`, once it has committed).
    func write<T: Sendable>(durable: Bool = true, _ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        defer { feed.committed() }
        return try await Self.traced("SQLite write") { try await writer.write(durable: durable, updates) }
    }

    /// Runs `body` in a read transaction on one of GRDB's reader connections, on its queue.
    ///
    /// Why not on the calling thread, as `readStatement` does: a read of many rows (a page of 100
    /// messages) holds its thread for milliseconds, and the concurrency pool has only as many
    /// threads as cores; 16 ListMessages at once on the caller's thread gave p99 175–200 ms against
    /// 30–34 ms here (BENCHMARKS.md, "Round 3").
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.traced("SQLite read") { try await pool.read(body) }
    }

    /// A client span for a transaction, within a traced request or delivery only: the
    /// dispatchers' idle polls would otherwise be a trace each, ten times a second.
    static func traced<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        guard ServiceContext.current != nil else { return try await body() }
        return try await withSpan(name, ofKind: .client) { span in
            span.attributes["db.system"] = "sqlite"
            return try await body()
        }
    }

    /// A lookup by key (one SELECT, a row or a few), run on the calling thread, outside a
    /// transaction, on a connection from `LookupReaders`.
    ///
    /// Why: the lookups most requests start with (the API key on a cache miss, the conversation
    /// of a conversation's operation) are microseconds of work, less than the two thread wake-ups
    /// of handing them to a reader's queue and back (PostMessage, which then still read its
    /// conversation here: ≈ 465 → ≈ 390 µs of CPU when it stopped). In WAL
    /// mode a reader never waits for the writer, so the thread only ever does CPU work. No
    /// transaction, because a single statement already reads one snapshot and GRDB parsed its
    /// `BEGIN`/`COMMIT` anew on every call. Anything that runs two statements that must agree, or
    /// reads many rows, uses `read`.
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try lookups.read(body)
    }

    /// One process holds the file (`DatabaseInUseError`): nobody to take turns with.
    public func startUp<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await migrate()
        return try await work()
    }

    public func migrate() async throws {
        // Runs once at start, before the server accepts requests: blocking here is fine.
        try SQLiteMigrations.migrator.migrate(pool)
    }

    /// Maps SQLite's unique-constraint failure to the API's 409, leaving other errors as they are.
    static func conflictOnDuplicate<T>(_ title: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
        {
            throw ParleyError.conflict(title)
        }
    }
}

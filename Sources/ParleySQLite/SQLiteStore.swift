import Foundation
import GRDB
import ParleyDomain

/// The embedded store: one SQLite file in WAL mode, reached through a GRDB `DatabasePool`
/// (one writer, several concurrent readers).
///
/// Durability: `synchronous=FULL` in WAL mode. Every commit is fsynced before the request is
/// answered, so neither a process crash (SIGKILL) nor a power cut loses anything acknowledged
/// (given a disk that honours flushes). Group commit (`GroupCommitWriter`) makes that one fsync
/// per batch of concurrent writes rather than one per request (docs/DECISIONS.md, "Durability").
public final class SQLiteStore: ParleyStore {
    let pool: DatabasePool
    /// Every write transaction goes through it (see `GroupCommitWriter`).
    private let writer: GroupCommitWriter
    /// Connections for `readStatement`.
    private let lookups: LookupReaders
    /// Authentication's key lookups (see `KeyCache` for how deletes keep it correct).
    let keyCache = KeyCache()
    /// The database file, for diagnostics and tests that reopen it.
    public let path: String

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers queue for up to 5 s instead of failing at once when another process holds the lock.
        configuration.busyMode = .timeout(5)
        // Reads run on the concurrency pool's threads (see `read`): one reader each, so none waits.
        configuration.maximumReaderCount = max(5, ProcessInfo.processInfo.activeProcessorCount)
        self.pool = try DatabasePool(path: path, configuration: configuration)
        // Only the writer's setting matters (readers commit nothing), and it must come after the
        // pool is open: GRDB sets NORMAL on the writer when it turns WAL on.
        // The writer's page cache survives between its transactions (no other connection writes),
        // so a bigger one keeps the pages posts touch (each conversation's row, the tail of its
        // messages, its participants) instead of reading them back from the WAL: SQLite's
        // default 2 MiB made each post read ≈ 17 kB, 32 MiB ≈ 10 kB (BENCHMARKS.md, "Round 3").
        // Readers gain nothing from a bigger cache: WAL mode empties theirs whenever the
        // database has changed.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        self.writer = GroupCommitWriter(pool: pool)
        self.lookups = LookupReaders(path: path)
        self.path = path
    }

    /// Runs `updates` in a write transaction, committed together with the writes queued beside it.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(updates)
    }

    /// Runs `body` in a read transaction on the calling thread.
    ///
    /// Why not GRDB's async `read`: it hands the work to a reader's dispatch queue and back, two
    /// thread wake-ups that cost more than the lookups most requests make (measured: reads here
    /// took PostMessage from ≈ 465 to ≈ 390 µs of CPU, BENCHMARKS.md). Blocking the caller is
    /// safe: in WAL mode a reader never waits for the writer, and GRDB's pool has a reader for each
    /// thread of the concurrency pool; what remains is CPU work (decoding rows), which is what
    /// those threads are for.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// `read` for a body that runs one SELECT: outside a transaction, since a single statement
    /// already reads one snapshot, and GRDB's `BEGIN`/`COMMIT` around it are parsed anew on every
    /// call (≈ 2 % of a post's CPU for its two lookups). Anything that runs two statements and
    /// needs them to agree must use `read`.
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try lookups.read(body)
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

import CoreMetrics
import GRDB
import Synchronization

/// Every write transaction of the store goes through here: writes that arrive while the writer
/// is busy are committed together, in one SQLite transaction, each in a savepoint of its own.
///
/// Why: SQLite has one writer. Committed one by one, every request pays for a transaction of its
/// own (taking the write lock, appending each page it touched to the WAL, updating the WAL index)
/// and for two thread hand-offs (to GRDB's writer queue and back). Under load the pages a message
/// touches (the conversation's row, the tails of the messages and events tables and their
/// indexes) are the same for many requests in a row, so one commit for all of them writes each
/// page once. A lone request still commits at once: nothing waits for a batch to fill.
///
/// What does not change: a caller resumes only after the transaction holding its write has
/// committed and `WALFlusher` has flushed it to disk, so nothing is acknowledged before it is
/// durable. The flush runs beside the next batch, not inside the commit (see `WALFlusher`). A write
/// that throws rolls back its own savepoint and fails alone; the others in its batch commit. If the
/// commit itself fails, every write of the batch fails with that error.
final class GroupCommitWriter: Sendable {
    /// Bounds a batch so one commit (and the wait of its first request) stays short under a flood.
    static let maximumBatch = 256

    private struct State {
        var queue: [any PendingWrite] = []
        /// Whether a drain is scheduled or running on the writer queue.
        var draining = false
    }

    private let pool: DatabasePool
    private let flusher: WALFlusher
    private let checkpointer: Checkpointer?
    /// `parley_sqlite_commit_batch_size`: writes committed together.
    private let batchSizes: Recorder?
    private let state = Mutex(State())

    init(pool: DatabasePool, flusher: WALFlusher, checkpointer: Checkpointer? = nil, batchSizes: Recorder? = nil) {
        self.batchSizes = batchSizes
        self.pool = pool
        self.flusher = flusher
        self.checkpointer = checkpointer
    }

    /// Writes waiting for the next batch (for tests and diagnostics).
    var queued: Int {
        state.withLock { $0.queue.count }
    }

    /// `durable: false` answers the caller as soon as its batch has committed, before the flush:
    /// for writes whose loss to a power cut is harmless (see `SQLiteStore.recordAttempt`).
    func write<T: Sendable>(durable: Bool = true, _ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(updates: updates, continuation: continuation, durable: durable)
            let startDrain = state.withLock { state in
                state.queue.append(pending)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain { scheduleDrain() }
        }
    }

    private func scheduleDrain() {
        pool.asyncWriteWithoutTransaction { [self] db in drainOneBatch(db) }
    }

    /// Commits what is queued now (up to `maximumBatch`), then hands the writer queue back:
    /// writes that bypass this writer (migrations) are not starved, and whatever arrived during
    /// the commit becomes the next batch.
    private func drainOneBatch(_ db: Database) {
        let batch: [any PendingWrite] = state.withLock { state in
            let count = min(state.queue.count, Self.maximumBatch)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
        if let failure = flusher.failure {
            // The disk failed a flush: committing more would acknowledge nothing and hide the failure.
            for pending in batch { pending.finish(commitError: failure) }
        } else {
            checkpointer?.restartIfDue(db)
            do {
                try db.inTransaction {
                    for pending in batch { pending.run(db) }
                    return .commit
                }
                checkpointer?.noteCommit()
                batchSizes?.record(batch.count)
                let flushed = batch.filter(\.durable)
                for pending in batch where !pending.durable { pending.finish(commitError: nil) }
                if !flushed.isEmpty {
                    flusher.afterNextFlush { flushError in
                        for pending in flushed { pending.finish(commitError: flushError) }
                    }
                }
            } catch {
                for pending in batch { pending.finish(commitError: error) }
            }
        }
        let more = state.withLock { state in
            if state.queue.isEmpty { state.draining = false }
            return state.draining
        }
        if more { scheduleDrain() }
    }
}

/// One caller's write, type-erased so a batch can hold writes of different result types.
private protocol PendingWrite: Sendable {
    /// Whether the caller waits for the WAL flush as well as the commit.
    var durable: Bool { get }
    /// Runs the write in a savepoint of the batch's transaction, keeping its result.
    func run(_ db: Database)
    /// Resumes the caller once the batch has committed and been flushed (or failed to).
    func finish(commitError: (any Error)?)
}

private final class Pending<T: Sendable>: PendingWrite, @unchecked Sendable {
    // `result` is written by `run` on the writer queue and read once by `finish` afterwards, on
    // the writer queue or the flusher's: the hand-over through `WALFlusher`'s lock orders them,
    // hence @unchecked.
    private let updates: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var result: Result<T, any Error>?
    let durable: Bool

    init(updates: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>, durable: Bool) {
        self.updates = updates
        self.continuation = continuation
        self.durable = durable
    }

    func run(_ db: Database) {
        // SQLite rolls the whole transaction back on some errors (a full disk, out of memory).
        // The writes after that must not run outside the batch: they fail with it.
        guard db.isInsideTransaction else {
            result = .failure(DatabaseError(resultCode: .SQLITE_ABORT, message: "The batch's transaction was rolled back"))
            return
        }
        // Savepoints from cached statements: GRDB's `inSavepoint` executes its SAVEPOINT and
        // RELEASE from SQL text, parsed again for every write.
        do {
            try DirectStatement(db, sql: "SAVEPOINT parley_write").run()
        } catch {
            result = .failure(error)
            return
        }
        do {
            let value = try updates(db)
            try DirectStatement(db, sql: "RELEASE SAVEPOINT parley_write").run()
            result = .success(value)
        } catch {
            // Undo this write alone. If SQLite has already rolled the whole transaction back,
            // there is no savepoint left to undo: the next write and the commit see that.
            try? DirectStatement(db, sql: "ROLLBACK TO SAVEPOINT parley_write").run()
            try? DirectStatement(db, sql: "RELEASE SAVEPOINT parley_write").run()
            result = .failure(error)
        }
    }

    func finish(commitError: (any Error)?) {
        switch (result, commitError) {
        case (.success?, let error?): continuation.resume(throwing: error)
        case (let result?, _): continuation.resume(with: result)
        case (nil, let error): continuation.resume(throwing: error ?? DatabaseError(resultCode: .SQLITE_ERROR, message: "The write did not run"))
        }
    }
}

import CoreMetrics
import Dispatch
import GRDB
import Synchronization

/// Copies the WAL back into the database file from a connection of its own, so the writer does
/// not stop for it.
///
/// Why: SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
/// writer. It copies every page the WAL holds into the database file and flushes that file; with
/// posts spread over many conversations that is hundreds of scattered pages and a flush of
/// 5–15 ms on this kind of disk, during which no batch commits. Measured with no checkpoints at
/// all, PostMessage ran ≈ 17 % faster (BENCHMARKS.md, "Round 4").
///
/// How: after commits, a pass (`wal_checkpoint(PASSIVE)`) runs here every `interval`. A passive
/// checkpoint takes no write lock, so batches keep committing while it copies and flushes. But
/// the WAL only starts again from its beginning when a write transaction begins with every frame
/// copied, which a busy writer never leaves time for. So once the WAL is `restartFrames` long, a
/// second pass shortens what is left, and the writer itself copies that remainder between two
/// batches (`restartIfDue`): a short stop once per cycle instead of a long one at every threshold.
///
/// Before it asks for that, it flushes the database file itself. A pass flushes the database file
/// only when it copies the WAL to its very end, which under load it rarely does, so the pages
/// copied by many passes were left for the writer's remainder to flush: that flush was most of the
/// writer's stop (p50 5 ms, p90 10 ms). Flushed here first, the writer's flush covers only what it
/// copies itself (p50 2.9 ms, p90 4.6 ms; BENCHMARKS.md, "Round 5"). If that flush fails, the state
/// of the disk is unknown (as for the WAL in `WALFlusher`), so every write stops.
///
/// The writer's own automatic checkpoint stays on, at a much larger threshold, in case this one
/// falls behind or fails.
final class Checkpointer: Sendable {
    /// How often a pass runs while there are commits: longer copies a page rewritten by many posts
    /// once instead of many times, shorter leaves less for the writer's remainder.
    static let interval: DispatchTimeInterval = .milliseconds(20)
    /// The WAL length (frames, one per page written) at which the WAL is brought back to its start.
    static let restartFrames = 4000
    /// The writer's own automatic checkpoint: only reached if this checkpointer falls behind.
    static let writerFallbackFrames = 40000

    private struct State {
        /// Commits since the last pass began.
        var committed = false
        /// A pass is scheduled or running.
        var scheduled = false
        /// The writer is to copy the remainder before its next batch; no pass runs until it has.
        var restartDue = false
    }

    private let connection: DatabaseQueue
    private let flushDatabase: @Sendable () throws -> Void
    private let stopWrites: @Sendable (any Error) -> Void
    /// `parley_sqlite_checkpoints_total`: passes run.
    private let passes: Counter?
    private let interval: DispatchTimeInterval
    private let restartFrames: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "parley.sqlite.checkpoint")

    /// `flushDatabase` makes the database file durable (an `fdatasync`); `stopWrites` is called
    /// if it fails. The two settings after them are parameters for tests only.
    init(
        path: String, flushDatabase: @escaping @Sendable () throws -> Void, stopWrites: @escaping @Sendable (any Error) -> Void,
        interval: DispatchTimeInterval = Checkpointer.interval, restartFrames: Int = Checkpointer.restartFrames, passes: Counter? = nil
    ) throws {
        self.passes = passes
        self.flushDatabase = flushDatabase
        self.stopWrites = stopWrites
        self.interval = interval
        self.restartFrames = restartFrames
        var configuration = Configuration()
        configuration.label = "parley.checkpoint"
        // A passive checkpoint never waits for locks; the timeout covers opening during recovery.
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        // NORMAL or FULL both flush the WAL before copying and the database file after.
        try connection.inDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
    }

    /// Called by the writer after each commit.
    func noteCommit() {
        let schedule = state.withLock { state in
            state.committed = true
            if state.scheduled || state.restartDue { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.asyncAfter(deadline: .now() + interval) { self.pass(followUp: false) } }
    }

    /// Called by the writer between batches: copies the remainder when a pass asked for it, so
    /// the next write transaction starts the WAL again from its beginning.
    func restartIfDue(_ db: Database) {
        guard state.withLock({ $0.restartDue }) else { return }
        // An error (a reader holding an old snapshot, say) only postpones the restart.
        _ = try? db.checkpoint(.passive)
        let schedule = state.withLock { state in
            state.restartDue = false
            if !state.committed || state.scheduled { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.asyncAfter(deadline: .now() + interval) { self.pass(followUp: false) } }
    }

    private func pass(followUp: Bool) {
        passes?.increment()
        state.withLock { $0.committed = false }
        let frames = try? connection.inDatabase { db in try db.checkpoint(.passive).walFrameCount }
        let long = (frames ?? 0) >= restartFrames
        if long && !followUp {
            // What was committed during this pass is left; a second pass right away makes the
            // writer's share smaller.
            queue.async { self.pass(followUp: true) }
            return
        }
        if long {
            do {
                try flushDatabase()
            } catch {
                // No restart: the writes stop, and the WAL keeps every frame it has.
                stopWrites(error)
                state.withLock { $0.scheduled = false }
                return
            }
        }
        let again = state.withLock { state in
            if long {
                state.scheduled = false
                state.restartDue = true
                return false
            }
            if state.committed { return true }
            state.scheduled = false
            return false
        }
        if again { queue.asyncAfter(deadline: .now() + interval) { self.pass(followUp: false) } }
    }
}

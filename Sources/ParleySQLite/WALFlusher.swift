import Dispatch
import Logging
import ParleyDomain
import Synchronization

/// Flushes the WAL to disk for committed batches, on a queue of its own, and answers each batch
/// only once a flush that began after its commit has returned.
///
/// Why not `synchronous=FULL`, which has SQLite flush inside each commit: the commit then holds
/// the single writer for the flush, and the next batch cannot start until the disk answers. Here
/// the writer commits with `synchronous=NORMAL` (no flush at commit; checkpoints still flush) and
/// goes on with the next batch while this queue flushes. One flush covers every batch committed
/// before it began, so batches that arrive during a flush share the next one.
///
/// What is guaranteed, as with FULL: nobody is told a write succeeded before it is on disk, and
/// batches are answered in commit order. What differs: another connection can read a batch in
/// the moment between its commit and its flush. A power cut (not a process crash: the operating
/// system still holds the pages) in that moment loses a write that no one was told had succeeded,
/// but that a reader may have seen (docs/DECISIONS.md, "Durability").
///
/// A failed flush leaves the state of the disk unknown (the kernel may have dropped the pages it
/// could not write, and a later flush would not say so), so the flusher stops: the batches
/// waiting fail, and so does every write after them, until the process is restarted.
final class WALFlusher: Sendable {
    typealias Answer = @Sendable ((any Error)?) -> Void

    private struct State {
        var waiting: [Answer] = []
        var flushing = false
        var failure: ParleyError?
    }

    private let flush: @Sendable () throws -> Void
    private let logger: Logger
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "parley.sqlite.wal-flush")

    /// `flush` makes everything written to the WAL so far durable (an `fdatasync` of its file).
    init(flush: @escaping @Sendable () throws -> Void, logger: Logger = Logger(label: "parley.sqlite")) {
        self.flush = flush
        self.logger = logger
    }

    /// The error that stopped the flusher, if one did: writes must not start after it.
    var failure: ParleyError? {
        state.withLock { $0.failure }
    }

    /// Calls `answer` after the next flush that starts after this call, with that flush's error.
    func afterNextFlush(_ answer: @escaping Answer) {
        let start = state.withLock { state in
            state.waiting.append(answer)
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let (answers, failure) = state.withLock { state -> ([Answer], (any Error)?) in
                let answers = state.waiting
                state.waiting = []
                if answers.isEmpty { state.flushing = false }
                return (answers, state.failure)
            }
            if answers.isEmpty { return }
            var error = failure
            if error == nil {
                do {
                    try flush()
                } catch let flushError {
                    error = stop(flushError)
                }
            }
            for answer in answers { answer(error) }
        }
    }

    /// Stops every write from now on, after a flush of the WAL or of the database file
    /// (`Checkpointer`) failed, and returns the error writes now fail with: 503, which the client
    /// may retry once an operator has looked at the disk and restarted the server.
    @discardableResult
    func stop(_ cause: any Error) -> ParleyError {
        let (error, first) = state.withLock { state in
            if let failure = state.failure { return (failure, false) }
            let failure = ParleyError(
                kind: .unavailable, code: "service_unavailable",
                title: "The database could not write to disk; writes are stopped until the server is restarted")
            state.failure = failure
            return (failure, true)
        }
        if first {
            logger.critical("Flushing the database to disk failed; writes are stopped", metadata: ["error": "\(cause)"])
        }
        return error
    }
}

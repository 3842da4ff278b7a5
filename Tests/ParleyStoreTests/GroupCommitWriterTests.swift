import Logging
import Foundation
import GRDB
import ParleyDomain
@testable import ParleySQLite
import ParleyTestSupport
import Synchronization
import Testing

/// The SQLite store's group commit: writes queued while the writer is busy share one transaction,
/// each in its own savepoint.
@Suite("SQLite group commit")
struct GroupCommitWriterTests {
    /// A pool with one table, and a writer over it that flushes through `flush`.
    func open(flush: @escaping @Sendable () throws -> Void = {}) throws -> (DatabasePool, GroupCommitWriter) {
        let path = Scratch.file("group-commit.sqlite")
        let pool = try DatabasePool(path: path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE rows (n INTEGER PRIMARY KEY)")
        }
        return (pool, GroupCommitWriter(pool: pool, flusher: WALFlusher(flush: flush, logger: .silent)))
    }

    func count(_ pool: DatabasePool) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") ?? -1 }
    }

    /// A WAL flush that counts its calls and blocks each one until `release`.
    final class GatedFlush: Sendable {
        private let calls = Mutex(0)
        private let gate = DispatchSemaphore(value: 0)
        var count: Int { calls.withLock { $0 } }
        @Sendable func run() {
            calls.withLock { $0 += 1 }
            gate.wait()
        }
        func release() { gate.signal() }
        func waitUntilStarted() async throws {
            for _ in 0..<2000 where count == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    /// Holds GRDB's writer queue until `release` is called, so writes pile up behind it.
    func holdWriter(_ pool: DatabasePool) -> @Sendable () -> Void {
        let gate = DispatchSemaphore(value: 0)
        pool.asyncWriteWithoutTransaction { _ in gate.wait() }
        return { gate.signal() }
    }

    func insertAll(_ writer: GroupCommitWriter, _ numbers: [Int], failing: Set<Int> = []) -> [Task<Int, any Error>] {
        numbers.map { n in
            Task {
                try await writer.write { db in
                    try db.execute(sql: "INSERT INTO rows (n) VALUES (?)", arguments: [n])
                    if failing.contains(n) { throw TestFailure(n: n) }
                    return n * 10
                }
            }
        }
    }

    struct TestFailure: Error, Equatable { let n: Int }

    /// Counts the transactions SQLite commits on the writer connection.
    final class CommitCounter: TransactionObserver, Sendable {
        private let commits = Mutex(0)
        var count: Int { commits.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    func waitQueued(_ writer: GroupCommitWriter, _ count: Int) async throws {
        for _ in 0..<2000 where writer.queued < count { try await Task.sleep(for: .milliseconds(5)) }
        #expect(writer.queued == count)
    }

    @Test("Writes queued behind a busy writer commit as one transaction, each caller getting its own result")
    func batches() async throws {
        let (pool, writer) = try open()
        let commits = CommitCounter()
        pool.add(transactionObserver: commits)
        let release = holdWriter(pool)
        let tasks = insertAll(writer, Array(1...50))
        try await waitQueued(writer, 50)
        #expect(commits.count == 0)
        release()
        var results: [Int] = []
        for task in tasks { results.append(try await task.value) }
        #expect(results == (1...50).map { $0 * 10 })
        #expect(commits.count == 1)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") } == 50)
        #expect(writer.queued == 0)
    }

    @Test("A write that throws rolls back alone; the rest of its batch commits")
    func failureIsolated() async throws {
        let (pool, writer) = try open()
        let release = holdWriter(pool)
        let tasks = insertAll(writer, Array(1...9), failing: [4, 7])
        try await waitQueued(writer, 9)
        release()
        for (index, task) in tasks.enumerated() {
            let n = index + 1
            if n == 4 || n == 7 {
                await #expect(throws: TestFailure(n: n)) { try await task.value }
            } else {
                #expect(try await task.value == n * 10)
            }
        }
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM rows ORDER BY n") }
        #expect(stored == [1, 2, 3, 5, 6, 8, 9])
    }

    @Test("A write that ends the batch's transaction fails the whole batch: nothing is acknowledged that was not committed")
    func transactionLost() async throws {
        let (pool, writer) = try open()
        let release = holdWriter(pool)
        var tasks = insertAll(writer, [1, 2])
        tasks.append(Task {
            try await writer.write { db in
                try db.execute(sql: "ROLLBACK")
                return 0
            }
        })
        tasks += insertAll(writer, [3])
        try await waitQueued(writer, 4)
        release()
        for task in tasks {
            await #expect(throws: (any Error).self) { try await task.value }
        }
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") } == 0)
        // The writer keeps working afterwards.
        #expect(try await insertAll(writer, [5])[0].value == 50)
    }

    @Test("A caller is answered only after a WAL flush that began after its commit")
    func answeredAfterFlush() async throws {
        let flush = GatedFlush()
        let (pool, writer) = try open(flush: flush.run)
        let answered = Mutex(false)
        let task = Task {
            let value = try await insertAll(writer, [1])[0].value
            answered.withLock { $0 = true }
            return value
        }
        try await flush.waitUntilStarted()
        // Committed (other connections see it) and being flushed, but not acknowledged.
        #expect(flush.count == 1)
        #expect(try await count(pool) == 1)
        #expect(answered.withLock { $0 } == false)
        flush.release()
        #expect(try await task.value == 10)
        // The next write is held by its own flush in the same way.
        flush.release()
        #expect(try await insertAll(writer, [2])[0].value == 20)
    }

    @Test("A failed WAL flush fails its batch and stops every later write before it runs")
    func flushFailureStops() async throws {
        struct DiskFailure: Error {}
        let (pool, writer) = try open(flush: { throw DiskFailure() })
        for n in [1, 2] {
            await #expect {
                try await insertAll(writer, [n])[0].value
            } throws: { error in
                (error as? ParleyError)?.kind == .unavailable && (error as? ParleyError)?.code == "service_unavailable"
            }
        }
        // The first write had committed before its flush failed; the second never ran.
        #expect(try await count(pool) == 1)
    }

    // A regression here would wait for the flush forever: the time limit makes it a failure.
    @Test("A write marked not durable is answered once committed, while the flush is still running", .timeLimit(.minutes(1)))
    func notDurableAnsweredAtCommit() async throws {
        let flush = GatedFlush()
        let (pool, writer) = try open(flush: flush.run)
        let durable = Task { try await insertAll(writer, [1])[0].value }
        try await flush.waitUntilStarted()
        #expect(flush.count == 1)
        // The durable write's flush has not returned; the other write is answered all the same.
        let value = try await writer.write(durable: false) { db in
            try db.execute(sql: "INSERT INTO rows (n) VALUES (2)")
            return 20
        }
        #expect(value == 20)
        #expect(try await count(pool) == 2)
        #expect(flush.count == 1, "a write that is not durable asks for no flush")
        flush.release()
        #expect(try await durable.value == 10)
    }
}

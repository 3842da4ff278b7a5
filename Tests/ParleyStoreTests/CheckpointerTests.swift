import Logging
import Foundation
import GRDB
import ParleyDomain
@testable import ParleySQLite
import ParleyTestSupport
import Synchronization
import Testing

/// Checkpoints beside the writer (`Checkpointer`): the WAL is copied back and starts again from
/// its beginning while writes go on, without the writer's own automatic checkpoint.
@Suite("SQLite checkpointer")
struct CheckpointerTests {
    @Test("Under continuous writes the WAL is copied back beside the writer and restarts, staying short")
    func walStaysShort() async throws {
        let (path, pool) = try await Self.database()
        let databaseFlushes = Mutex(0)
        let checkpointer = try Checkpointer(
            path: path, flushDatabase: { databaseFlushes.withLock { $0 += 1 } }, stopWrites: { Issue.record("writes stopped: \($0)") },
            interval: .milliseconds(5), restartFrames: 200)
        let writer = GroupCommitWriter(pool: pool, flusher: WALFlusher(flush: {}, logger: .silent), checkpointer: checkpointer)
        let writes = 3000
        var longestWAL = 0
        for n in 1...writes {
            try await Self.insertPage(writer, n)
            longestWAL = max(longestWAL, try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as! Int)
        }
        // Without a checkpoint the WAL would hold every write's frames (more than 3000).
        #expect(longestWAL < 1500 * Self.frame, "the WAL reached \(longestWAL / Self.frame) frames")
        // What was copied back is in the database file itself.
        let databaseBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(databaseBytes > writes / 2 * 4096)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") } == writes)
        // Once the WAL had reached `restartFrames`, its restart was preceded by a flush of the
        // database file. (On a loaded machine the checkpoints can keep up with the writes, and
        // SQLite restarts the WAL after each complete checkpoint before it grows that long.)
        if longestWAL >= 200 * Self.frame {
            #expect(databaseFlushes.withLock { $0 } > 0, "the WAL reached \(longestWAL / Self.frame) frames")
        }
    }

    @Test("If the database file cannot be flushed, the WAL does not restart and every later write fails with 503")
    func failedDatabaseFlushStopsWrites() async throws {
        let (path, pool) = try await Self.database()
        let flusher = WALFlusher(flush: {}, logger: .silent)
        let checkpointer = try Checkpointer(
            path: path, flushDatabase: { throw SQLiteFileError(operation: "fdatasync", code: EIO) }, stopWrites: { flusher.stop($0) },
            interval: .milliseconds(5), restartFrames: 200)
        let writer = GroupCommitWriter(pool: pool, flusher: flusher, checkpointer: checkpointer)
        var failure: ParleyError?
        var written = 0
        // The WAL reaches 200 frames after about 200 writes; the checkpointer then tries the flush.
        for n in 1...5000 where failure == nil {
            do {
                try await Self.insertPage(writer, n)
                written += 1
            } catch let error as ParleyError {
                failure = error
            }
        }
        #expect(failure?.code == "service_unavailable")
        // The flush is only tried once the WAL is 200 frames long (one to three frames per write).
        #expect(written >= 50)
        // Nothing answered was lost. The write that failed may have committed before the stop
        // (its outcome is unknown to its caller, as after any 503); nothing after it ran.
        let stored = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") } ?? 0
        #expect(stored == written || stored == written + 1)
        await #expect(throws: ParleyError.self) { try await Self.insertPage(writer, 0) }
    }

    private static let frame = 4096 + 24

    /// A fresh database with one table, in which only the checkpointer copies the WAL back.
    private static func database() async throws -> (String, DatabasePool) {
        let path = Scratch.file("checkpointer.sqlite")
        let pool = try DatabasePool(path: path)
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "CREATE TABLE rows (n INTEGER PRIMARY KEY, filler BLOB NOT NULL)")
        }
        return (path, pool)
    }

    /// A row of 3 kB fills a page of its own: every write adds at least one frame.
    private static func insertPage(_ writer: GroupCommitWriter, _ n: Int) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO rows (n, filler) VALUES (?, zeroblob(3000))", arguments: [n])
        }
    }
}

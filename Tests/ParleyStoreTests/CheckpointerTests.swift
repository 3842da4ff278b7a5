import Foundation
import GRDB
@testable import ParleySQLite
import Testing

/// Checkpoints beside the writer (`Checkpointer`): the WAL is copied back and starts again from
/// its beginning while writes go on, without the writer's own automatic checkpoint.
@Suite("SQLite checkpointer")
struct CheckpointerTests {
    @Test("Under continuous writes the WAL is copied back beside the writer and restarts, staying short")
    func walStaysShort() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpointer-\(UUID().uuidString).sqlite").path
        let pool = try DatabasePool(path: path)
        try await pool.writeWithoutTransaction { db in
            // Only the checkpointer may copy the WAL back in this test.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "CREATE TABLE rows (n INTEGER PRIMARY KEY, filler BLOB NOT NULL)")
        }
        let restartFrames = 200
        let checkpointer = try Checkpointer(path: path, interval: .milliseconds(5), restartFrames: restartFrames)
        let writer = GroupCommitWriter(pool: pool, flusher: WALFlusher(flush: {}), checkpointer: checkpointer)
        let writes = 3000
        var longestWAL = 0
        for n in 1...writes {
            // A row of 3 kB fills a page of its own: every write adds at least one frame.
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO rows (n, filler) VALUES (?, zeroblob(3000))", arguments: [n])
            }
            longestWAL = max(longestWAL, try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as! Int)
        }
        let frame = 4096 + 24
        // Without a checkpoint the WAL would hold every write's frames (more than 3000).
        #expect(longestWAL < 1500 * frame, "the WAL reached \(longestWAL / frame) frames")
        // What was copied back is in the database file itself.
        let databaseBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(databaseBytes > writes / 2 * 4096)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rows") } == writes)
    }
}

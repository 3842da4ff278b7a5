import Foundation
import GRDB
import GRDBSQLite
@testable import ParleySQLite
import ParleyTestSupport
import Testing

/// The file system layer the SQLite store opens its files through: SQLite's own "unix-excl",
/// and nothing of Parley's between SQLite and the file.
@Suite("SQLite file layer")
struct FileLayerTests {
    @Test("The store's writer, readers and lookup connections open their files through SQLite's unix-excl layer")
    func storeUsesLayer() async throws {
        let store = try SQLiteStore(path: Scratch.file("layer-store.sqlite"))
        try await store.migrate()
        @Sendable func layerName(_ db: Database) -> String? {
            var vfs: UnsafeMutablePointer<sqlite3_vfs>?
            guard sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK else { return nil }
            return vfs.flatMap { $0.pointee.zName.map { String(cString: $0) } }
        }
        let layer = "unix-excl"
        #expect(try await store.write(layerName) == layer)
        #expect(try await store.read(layerName) == layer)
        #expect(try store.readStatement(layerName) == layer)
    }

    @Test("The store's layer keeps its WAL recoverable from the files alone: a copy without the WAL index recovers every row")
    func framesRecover() throws {
        SQLiteStore.chooseFileLayers
        let directory = Scratch.directory("frames")
        let path = directory.appendingPathComponent("frames.sqlite").path
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { db in
            // Every frame stays in the WAL, so the copy below can only be read back from it.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        }
        for batch in 0..<20 {
            try pool.write { db in
                for row in 0..<50 {
                    try db.execute(sql: "INSERT INTO rows (id, body) VALUES (?, ?)", arguments: [batch * 50 + row, String(repeating: "x", count: 200)])
                }
            }
        }
        // The WAL index (-shm) is left behind: opening the copy rebuilds it from the frames'
        // headers and checksums, and stops at the first frame that does not check out.
        let copy = directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        try pool.close()
        let reopened = try DatabaseQueue(path: copy)
        let (rows, integrity) = try reopened.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM rows"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(rows == 1000)
        #expect(integrity == "ok")
    }
}

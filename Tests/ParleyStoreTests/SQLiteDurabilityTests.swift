import Foundation
import GRDB
@testable import ParleySQLite
import ParleyTestSupport
import Testing

/// The SQLite settings docs/DECISIONS.md ("Durability") promises.
@Suite("SQLite durability settings")
struct SQLiteDurabilityTests {
    @Test("WAL mode, synchronous=NORMAL on the writer with its batches flushed by WALFlusher through the WAL SQLite writes")
    func flushedWAL() async throws {
        let path = Scratch.file("durability.sqlite")
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let (mode, synchronous, cacheSize, autocheckpoint) = try await store.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA cache_size"), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
            )
        }
        #expect(mode == "wal")
        // 1 is NORMAL: the commit does not flush; WALFlusher does before the caller is answered.
        #expect(synchronous == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        #expect(store.wal.inode == (attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
        // Checkpoints run beside the writer; its own is only the fallback.
        #expect(autocheckpoint == Checkpointer.writerFallbackFrames)
        // Not durability, but set in the same place and as easily lost: the writer's 32 MiB cache.
        #expect(cacheSize == -32768)
    }

    @Test("Through a symbolic link to the database, the flushed file is still the WAL SQLite writes")
    func symbolicLink() async throws {
        let directory = Scratch.directory("durability")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("real"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("linked"), withIntermediateDirectories: true)
        let real = directory.appendingPathComponent("real/parley.sqlite").path
        let linked = directory.appendingPathComponent("linked/parley.sqlite").path
        try Data().write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: real)
        let store = try SQLiteStore(path: linked)
        try await store.migrate()
        let attributes = try FileManager.default.attributesOfItem(atPath: real + "-wal")
        #expect(store.wal.inode == (attributes[.systemFileNumber] as? NSNumber)?.uint64Value)
    }
}

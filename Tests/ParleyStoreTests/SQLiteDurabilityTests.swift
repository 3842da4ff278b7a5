import Foundation
import GRDB
@testable import ParleySQLite
import Testing

/// The SQLite settings docs/DECISIONS.md ("Durability") promises.
@Suite("SQLite durability settings")
struct SQLiteDurabilityTests {
    @Test("WAL mode with synchronous=FULL on the writer: every commit is flushed before it is acknowledged")
    func fullSync() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("durability-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let (mode, synchronous, cacheSize) = try await store.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA cache_size")
            )
        }
        #expect(mode == "wal")
        #expect(synchronous == 2, "2 is FULL")
        // Not durability, but set in the same place and as easily lost: the writer's 32 MiB cache.
        #expect(cacheSize == -32768)
    }
}

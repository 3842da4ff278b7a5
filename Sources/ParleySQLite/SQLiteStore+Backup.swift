import Foundation
import GRDB
import ParleyDomain

extension SQLiteStore: BackupStore {
    /// SQLite's online backup (`sqlite3_backup`) from a reader connection inside one read
    /// transaction: the copy is the database as of one commit, while the writer goes on (WAL mode
    /// lets readers and the writer work side by side).
    public func backupCopy() async throws -> String {
        let copy = path + ".backup-\(UUID().uuidString.lowercased())"
        do {
            let destination = try DatabaseQueue(path: copy)
            try await pool.read { source in
                try destination.writeWithoutTransaction { target in try source.backup(to: target) }
            }
            try destination.close()
            return copy
        } catch {
            Self.remove(copy)
            throw error
        }
    }

    /// Refuses a file that is not a whole Parley database: SQLite's `integrity_check` must say
    /// `ok`, and the migrations' table (`SQLiteMigrations`, GRDB's) and the apps' must be there.
    public static func verifyBackup(at path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError("\(path) does not exist") }
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw BackupError("\(path) is not an SQLite database: \(error)")
        }
        defer { try? queue.close() }
        let (integrity, migrated) = try queue.read { db -> (String?, Bool) in
            let integrity = try? String.fetchOne(db, sql: "PRAGMA integrity_check")
            return (integrity, ((try? db.tableExists("grdb_migrations")) ?? false) && ((try? db.tableExists("apps")) ?? false))
        }
        guard integrity == "ok" else { throw BackupError("\(path) is damaged: integrity_check says \(integrity ?? "nothing")") }
        guard migrated else { throw BackupError("\(path) is an SQLite database, but not Parley's") }
    }

    /// Puts a verified backup in place of the database at `path`, which no process may have open
    /// (a running server holds it: stop it first). The old WAL goes first, so it can never be
    /// replayed onto the restored file; the copy is flushed, then renamed over the database.
    public static func restore(from backup: String, to path: String) throws {
        try verifyBackup(at: backup)
        chooseFileLayers
        if FileManager.default.fileExists(atPath: path) {
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE; ROLLBACK") }
                try queue.close()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                throw DatabaseInUseError(path: path)
            }
        }
        let staging = path + ".restoring"
        remove(staging)
        try FileManager.default.copyItem(atPath: backup, toPath: staging)
        try flush(staging)
        for leftover in [path + "-wal", path + "-shm"] { remove(leftover) }
        guard rename(staging, path) == 0 else { throw BackupError("could not move the restored file into place: \(String(cString: strerror(errno)))") }
        try flush((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// fsync of a file or a directory, so the restore survives a power cut.
    private static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupError("could not open \(path) to flush it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BackupError("could not flush \(path): \(String(cString: strerror(errno)))") }
    }
}

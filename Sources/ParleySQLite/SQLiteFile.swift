#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One of the database's files, opened once so it can be flushed from a thread of our own:
/// the WAL (by `WALFlusher`, before callers are answered) and the database file itself (by
/// `Checkpointer`, before the WAL may start again from its beginning).
///
/// A descriptor of our own rather than SQLite's: a flush applies to the file, whichever descriptor
/// asks, and SQLite's own file object is not meant to be used from a second thread. Both files
/// stay the same files while any connection has the database open (SQLite truncates or rewrites
/// the WAL in place, and deletes it only when the last connection closes), so the descriptor
/// stays valid for the store's life.
final class SQLiteFile: Sendable {
    enum Kind {
        case database
        /// `<database>-wal`, which must exist (a connection in WAL mode has created it).
        case wal
    }

    private let descriptor: Int32

    /// Opens the file and flushes its directory once, so the file itself survives a power cut.
    init(_ kind: Kind, databasePath givenPath: String) throws {
        // SQLite names the WAL after the database's real path, symbolic links resolved.
        guard let resolved = realpath(givenPath, nil) else { throw SQLiteFileError(operation: "realpath \(givenPath)", code: errno) }
        let databasePath = String(cString: resolved)
        free(resolved)
        let path = kind == .wal ? databasePath + "-wal" : databasePath
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SQLiteFileError(operation: "open \(path)", code: errno) }
        let slash = databasePath.lastIndex(of: "/")
        let directory = slash.map { String(databasePath[..<$0]) } ?? "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw SQLiteFileError(operation: "open \(directory)", code: errno) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw SQLiteFileError(operation: "fsync \(directory)", code: errno) }
    }

    deinit {
        close(descriptor)
    }

    /// Returns once everything written to the file before the call is on disk.
    func flush() throws {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw SQLiteFileError(operation: "fdatasync", code: errno) }
    }

    /// The file's identity, for the tests that check this is the file SQLite writes.
    var inode: UInt64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? UInt64(status.st_ino) : 0
    }
}

struct SQLiteFileError: Error, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

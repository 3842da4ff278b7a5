#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The database's write-ahead log, opened once so `WALFlusher` can flush it.
///
/// A descriptor of our own rather than SQLite's: a flush applies to the file, whichever descriptor
/// asks, and SQLite's own file object is not meant to be used from a second thread. The WAL file
/// stays the same file while any connection has the database open (SQLite truncates or rewrites
/// it in place, and deletes it only when the last connection closes), so the descriptor stays
/// valid for the store's life.
final class WALFile: Sendable {
    private let descriptor: Int32

    /// Opens `<databasePath>-wal`, which must exist (a connection in WAL mode has created it),
    /// and flushes its directory once so the file itself survives a power cut.
    init(databasePath givenPath: String) throws {
        // SQLite names the WAL after the database's real path, symbolic links resolved.
        guard let resolved = realpath(givenPath, nil) else { throw WALFileError(operation: "realpath \(givenPath)", code: errno) }
        let databasePath = String(cString: resolved)
        free(resolved)
        let path = databasePath + "-wal"
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WALFileError(operation: "open \(path)", code: errno) }
        let slash = databasePath.lastIndex(of: "/")
        let directory = slash.map { String(databasePath[..<$0]) } ?? "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw WALFileError(operation: "open \(directory)", code: errno) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw WALFileError(operation: "fsync \(directory)", code: errno) }
    }

    deinit {
        close(descriptor)
    }

    /// Returns once everything written to the WAL before the call is on disk.
    func flush() throws {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw WALFileError(operation: "fdatasync", code: errno) }
    }

    /// The file's identity, for the test that checks this is the WAL SQLite writes.
    var inode: UInt64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? UInt64(status.st_ino) : 0
    }
}

struct WALFileError: Error, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

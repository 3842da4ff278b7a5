import Crypto
import Foundation
import ParleyDomain

/// Attachments' bytes as files in one directory (beside the SQLite database by default; a
/// directory every node mounts for several nodes): `<token>` per attachment. A file is written
/// under a temporary name, flushed to disk, then renamed, so a reader never sees half a file and
/// an acknowledged upload survives a crash.
public struct LocalAttachmentStorage: AttachmentStorage {
    public let directory: URL

    /// Creates the directory if needed (start-up reports a failure as a configuration error).
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ token: AttachmentToken) -> String { directory.appendingPathComponent(token.rawValue).path }

    public func create(_ token: AttachmentToken) throws -> any AttachmentWriter {
        try FileWriter(temporary: path(token) + ".part", final: path(token))
    }

    public func open(_ token: AttachmentToken) throws -> (any AttachmentReader)? {
        guard let handle = FileHandle(forReadingAtPath: path(token)) else { return nil }
        let size = try handle.seekToEnd()
        return FileReader(handle: handle, size: Int64(size))
    }

    public func remove(_ token: AttachmentToken) throws {
        try Self.removeIfPresent(path(token))
    }

    public func files(writtenBefore cutoff: Timestamp) throws -> (complete: [AttachmentToken], removedUnfinished: Int) {
        let limit = Date(timeIntervalSince1970: Double(cutoff.millisecondsSince1970) / 1000)
        var complete: [AttachmentToken] = []
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let path = directory.appendingPathComponent(name).path
            // Another node may remove a file between the listing and this look.
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < limit
            else { continue }
            if name.hasSuffix(".part"), AttachmentToken(name.dropLast(5)) != nil {
                try Self.removeIfPresent(path)
                removed += 1
            } else if let token = AttachmentToken(name) {
                complete.append(token)
            }
        }
        return (complete, removed)
    }

    /// Removes a file; one already gone (removed by another node) is fine.
    static func removeIfPresent(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }
}

/// One file being written, hashed as it goes.
final class FileWriter: AttachmentWriter, @unchecked Sendable {
    // Unchecked: one upload's request task uses it, one call after another.
    private let temporary: String
    private let final: String
    private let handle: FileHandle
    private var hash = SHA256()
    private var size: Int64 = 0

    init(temporary: String, final: String) throws {
        self.temporary = temporary
        self.final = final
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
        hash.update(data: bytes)
        size += Int64(bytes.count)
    }

    func commit() throws -> (size: Int64, digest: String) {
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, final) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final]) }
        return (size, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}

/// One stored file, read by range.
final class FileReader: AttachmentReader, @unchecked Sendable {
    // Unchecked: one response's body writer reads it, one range after another.
    private let handle: FileHandle
    let size: Int64

    init(handle: FileHandle, size: Int64) {
        self.handle = handle
        self.size = size
    }

    func read(offset: Int64, count: Int) throws -> [UInt8] {
        try handle.seek(toOffset: UInt64(max(0, offset)))
        return Array(try handle.read(upToCount: count) ?? Data())
    }

    func close() {
        try? handle.close()
    }
}

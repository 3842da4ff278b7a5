/// Where attachments' bytes live: a directory beside the SQLite database by default, or one every
/// node shares. Bytes go in as they arrive and come out by range, never whole in memory.
public protocol AttachmentStorage: Sendable {
    /// A new file for `token`, written piece by piece; nothing is visible until `commit`.
    func create(_ token: AttachmentToken) throws -> any AttachmentWriter
    /// The stored file, or nil.
    func open(_ token: AttachmentToken) throws -> (any AttachmentReader)?
    /// Removes the file; nothing when there is none.
    func remove(_ token: AttachmentToken) throws
    /// Files last written before `cutoff`: complete ones by token, and how many unfinished ones
    /// (an upload cut off by a crash) were removed.
    func files(writtenBefore cutoff: Timestamp) throws -> (complete: [AttachmentToken], removedUnfinished: Int)
}

/// One file being written.
public protocol AttachmentWriter: AnyObject, Sendable {
    func write(_ bytes: [UInt8]) throws
    /// Makes the file durable and visible: its size and hex SHA-256.
    func commit() throws -> (size: Int64, digest: String)
    /// Abandons the file (a refused or broken upload).
    func discard()
}

/// One stored file, read by range.
public protocol AttachmentReader: AnyObject, Sendable {
    var size: Int64 { get }
    /// Up to `count` bytes from `offset`.
    func read(offset: Int64, count: Int) throws -> [UInt8]
    func close()
}

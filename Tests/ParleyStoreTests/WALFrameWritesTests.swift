import CWALFrameWrites
import Foundation
import GRDB
import GRDBSQLite
@testable import ParleySQLite
import ParleyTestSupport
import Testing

/// The file system layer that writes a WAL frame's header and page in one call (`CWALFrameWrites`):
/// what it holds back, that nothing can see the file without it, and that SQLite's frames stay
/// valid through it.
@Suite("WAL frame writes")
struct WALFrameWritesTests {
    // Data, not [UInt8]: a failed comparison prints a byte count, not four thousand numbers.
    static let header = Data(repeating: 0xA1, count: 24)
    static let page = Data(repeating: 0xB2, count: 4096)

    @Test("The store's writer, readers and lookup connections open their files through the layer")
    func storeUsesLayer() async throws {
        let store = try SQLiteStore(path: Scratch.file("layer-store.sqlite"))
        try await store.migrate()
        @Sendable func layerName(_ db: Database) -> String? {
            var vfs: UnsafeMutablePointer<sqlite3_vfs>?
            guard sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK else { return nil }
            return vfs.flatMap { $0.pointee.zName.map { String(cString: $0) } }
        }
        let layer = String(cString: parley_wal_frame_writes_name)
        #expect(try await store.write(layerName) == layer)
        #expect(try await store.read(layerName) == layer)
        #expect(try store.readStatement(layerName) == layer)
    }

    @Test("A frame's header is held until its page follows, then both reach the file in one write")
    func headerJoinsPage() throws {
        let file = try LayerFile(wal: true)
        let joinedBefore = parley_wal_frame_writes_joined()
        try file.write(Self.header, at: 32)
        #expect(file.onDisk(24, at: 32).isEmpty)
        try file.write(Self.page, at: 56)
        #expect(parley_wal_frame_writes_joined() > joinedBefore)
        #expect(file.onDisk(24 + 4096, at: 32) == Self.header + Self.page)
    }

    @Test("A held header is written before the file is read, synced, measured or closed")
    func heldHeaderWrittenFirst() throws {
        let file = try LayerFile(wal: true)
        try file.write(Self.header, at: 32)
        #expect(try file.read(24, at: 32) == Self.header)

        try file.write(Self.header, at: 56)
        try file.sync()
        #expect(file.onDisk(24, at: 56) == Self.header)

        try file.write(Self.header, at: 80)
        #expect(try file.size() == 104)

        try file.write(Self.header, at: 104)
        try file.close()
        #expect(file.onDisk(24, at: 104) == Self.header)
    }

    @Test("A held header followed by a write elsewhere is written first, at its own offset")
    func writeElsewhere() throws {
        let file = try LayerFile(wal: true)
        try file.write(Self.header, at: 32)
        try file.write(Self.page, at: 8192)
        #expect(file.onDisk(24, at: 32) == Self.header)
        #expect(file.onDisk(4096, at: 8192) == Self.page)
        #expect(file.onDisk(24, at: 56) == Data(count: 24))
    }

    @Test("Only WAL files hold writes back, and never the WAL's own header")
    func onlyFrameHeaders() throws {
        let database = try LayerFile(wal: false)
        try database.write(Self.header, at: 32)
        #expect(database.onDisk(24, at: 32) == Self.header)

        let wal = try LayerFile(wal: true)
        try wal.write(Self.header, at: 0)
        #expect(wal.onDisk(24, at: 0) == Self.header)
    }

    @Test("Frames written through the layer are valid WAL frames: a copy without the WAL index recovers every row")
    func framesRecover() throws {
        SQLiteStore.chooseFileLayers
        let directory = Scratch.directory("frames")
        let path = directory.appendingPathComponent("frames.sqlite").path
        let joinedBefore = parley_wal_frame_writes_joined()
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
        #expect(parley_wal_frame_writes_joined() > joinedBefore)
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

/// A file opened through the layer by hand, as SQLite would, with a descriptor of the test's own
/// to see what has reached the file.
private final class LayerFile {
    private let handle: UnsafeMutablePointer<sqlite3_file>
    private let descriptor: Int32
    private var open = true

    init(wal: Bool) throws {
        SQLiteStore.chooseFileLayers
        let database = Scratch.file("layer.sqlite")
        // The layer below a WAL names its database from the WAL's path, and needs it to exist.
        try #require(FileManager.default.createFile(atPath: database, contents: nil))
        let path = wal ? database + "-wal" : database
        let vfs = try #require(sqlite3_vfs_find(parley_wal_frame_writes_name))
        let handle = UnsafeMutableRawPointer.allocate(byteCount: Int(vfs.pointee.szOsFile), alignment: 16)
            .bindMemory(to: sqlite3_file.self, capacity: 1)
        self.handle = handle
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | (wal ? SQLITE_OPEN_WAL : SQLITE_OPEN_MAIN_DB)
        var outFlags: Int32 = 0
        // SQLite hands file names with extra NULs after them (for URI parameters).
        let result = (path + "\0\0\0").withCString { name in vfs.pointee.xOpen(vfs, name, handle, flags, &outFlags) }
        try #require(result == SQLITE_OK)
        descriptor = Glibc.open(path, O_RDONLY)
        try #require(descriptor >= 0)
    }

    deinit {
        if open { try? close() }
        Glibc.close(descriptor)
        handle.deallocate()
    }

    private var methods: sqlite3_io_methods { handle.pointee.pMethods.pointee }

    func write(_ bytes: Data, at offset: Int64) throws {
        try check(bytes.withUnsafeBytes { methods.xWrite(handle, $0.baseAddress, Int32($0.count), offset) })
    }

    func read(_ count: Int, at offset: Int64) throws -> Data {
        var bytes = Data(count: count)
        try check(bytes.withUnsafeMutableBytes { methods.xRead(handle, $0.baseAddress, Int32(count), offset) })
        return bytes
    }

    func sync() throws {
        try check(methods.xSync(handle, SQLITE_SYNC_NORMAL))
    }

    func size() throws -> Int64 {
        var size: Int64 = 0
        try check(methods.xFileSize(handle, &size))
        return size
    }

    func close() throws {
        open = false
        try check(methods.xClose(handle))
    }

    /// What the file holds at `offset`, read past the layer (fewer bytes where the file ends).
    func onDisk(_ count: Int, at offset: Int64) -> Data {
        var bytes = Data(count: count)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return bytes.prefix(max(0, read))
    }

    private func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: result)) }
    }
}

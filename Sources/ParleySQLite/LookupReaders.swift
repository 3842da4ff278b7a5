import GRDB
import Synchronization

/// Read-only connections for `SQLiteStore.readStatement`, handed out from a plain list.
///
/// Why not GRDB's reader pool: its checkout (a semaphore, a read-write lock and key paths built
/// on each call) was ≈ 4 % of a post's CPU for the post's two lookups. A lookup here takes an
/// idle connection, or opens one when all are busy, so it never waits; at most as many are open
/// as lookups ever ran at once (about one per thread of the concurrency pool).
final class LookupReaders: Sendable {
    private let path: String
    private let idle = Mutex<[DatabaseQueue]>([])

    init(path: String) {
        self.path = path
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? open()
        defer { idle.withLock { $0.append(connection) } }
        return try connection.inDatabase(body)
    }

    private func open() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        // As the pool's connections: wait out the rare moments a WAL reader can be told "busy"
        // (recovery after a crash, a WAL restart) instead of failing the request.
        configuration.busyMode = .timeout(5)
        configuration.label = "parley.lookup"
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}

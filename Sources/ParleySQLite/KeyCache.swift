import ParleyDomain
import Synchronization

/// API keys by id, so authenticating a request needs no database read once its key has been seen.
///
/// Keys never change after creation; they only disappear (DeleteAppKey, DeleteCustomIntegrationKey,
/// and with their app or integration). Every store method that deletes keys calls `invalidate()`
/// after its transaction commits and before it returns, so a deleted key is refused from the moment
/// the delete is answered. A lookup fills the cache only if no invalidation happened since it
/// started reading: a read that raced a delete cannot put the deleted key back.
///
/// Per process: right for the embedded SQLite store, which one server owns. A store shared by
/// several servers (PostgreSQL) would need the deletes broadcast to every node, or no cache.
final class KeyCache: Sendable {
    private struct State {
        var keys: [KeyID: APIKey] = [:]
        var generation: UInt64 = 0
    }

    /// Plenty for the keys in use at once; past it the cache starts over rather than grow.
    static let capacity = 10_000
    private let state = Mutex(State())

    func key(_ id: KeyID) -> APIKey? {
        state.withLock { $0.keys[id] }
    }

    /// Take this before reading the database; hand it back to `insert`.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    func insert(_ key: APIKey, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.keys.count >= Self.capacity { state.keys.removeAll(keepingCapacity: true) }
            state.keys[key.id] = key
        }
    }

    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.keys.removeAll()
        }
    }
}

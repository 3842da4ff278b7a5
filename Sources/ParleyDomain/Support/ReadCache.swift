import Synchronization

/// Rows a store read, kept in memory so the next read of the same key needs no database round
/// trip: API keys on every request, apps on many.
///
/// The store that owns it calls `invalidate()` whenever the rows may have changed: after its own
/// write commits (and before it answers), and on PostgreSQL when another node says it wrote
/// (LISTEN/NOTIFY). A read fills the cache only if no invalidation happened since it started
/// reading, so a read that raced a change cannot put the old row back. While `enabled` is false
/// (a PostgreSQL node that cannot hear the other nodes) nothing is served or kept.
///
/// Only rows found are kept: a missing row is read again each time, so a row created on another
/// node is seen at once.
public final class ReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: Value] = [:]
        var generation: UInt64 = 0
        var enabled: Bool
    }

    private let capacity: Int
    private let state: Mutex<State>

    /// `capacity`: past it the cache starts over rather than grow (plenty for the rows in use at once).
    public init(capacity: Int = 10_000, enabled: Bool = true) {
        self.capacity = capacity
        self.state = Mutex(State(enabled: enabled))
    }

    /// The cached value, or what `read` finds (kept if nothing was invalidated meanwhile).
    public func value(_ key: Key, orRead read: () async throws -> Value?) async throws -> Value? {
        let generation: UInt64? = state.withLock { $0.enabled ? $0.generation : nil }
        guard let generation else { return try await read() }
        if let cached = state.withLock({ $0.values[key] }) { return cached }
        let value = try await read()
        if let value {
            state.withLock { state in
                guard state.enabled, state.generation == generation else { return }
                if state.values.count >= capacity { state.values.removeAll(keepingCapacity: true) }
                state.values[key] = value
            }
        }
        return value
    }

    /// Forgets every value; reads already under way will not keep theirs.
    public func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.values.removeAll()
        }
    }

    /// Turns the cache on or off; either way it starts empty.
    public func setEnabled(_ enabled: Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.values.removeAll()
            state.enabled = enabled
        }
    }

    public var isEnabled: Bool {
        state.withLock { $0.enabled }
    }

    /// How many values are kept (for tests).
    public var count: Int {
        state.withLock { $0.values.count }
    }
}

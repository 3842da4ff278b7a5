import Synchronization

/// Bounds how long an operation may wait for a pooled connection, and only that.
///
/// postgres-nio's pool queues a lease for as long as it keeps failing to connect (its own circuit
/// breaker trips only after a minute), so a request would hang while PostgreSQL restarts. Racing
/// the whole operation against a timer would be wrong the other way: once a connection is leased
/// the statements are on the wire, and giving up then could answer 503 for a write that commits.
/// So the timer only wins while the operation is still waiting; once `enter()` has said yes, the
/// operation runs to its end.
enum LeaseDeadline {
    /// Thrown when no connection came within the timeout.
    struct Expired: Error {}

    private enum Finish<T: Sendable>: Sendable {
        case value(T)
        case timer
    }

    /// `operation` must call `enter()` as soon as it holds a connection and stop (throwing
    /// `Expired`) when it answers false: the deadline passed in the same instant.
    static func run<T: Sendable>(
        timeout: Duration, _ operation: @escaping @Sendable (_ enter: @escaping @Sendable () -> Bool) async throws -> T
    ) async throws -> T {
        let state = LeaseState()
        return try await withThrowingTaskGroup(of: Finish<T>.self) { group in
            group.addTask { .value(try await operation { state.enter() }) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .timer
            }
            while let finished = try await group.next() {
                switch finished {
                case .value(let value):
                    group.cancelAll()
                    return value
                case .timer:
                    // Still waiting for a connection: give up; the cancelled lease leaves the pool's queue.
                    if state.expire() {
                        group.cancelAll()
                        throw Expired()
                    }
                }
            }
            throw Expired()
        }
    }
}

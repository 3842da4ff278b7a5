import PostgresNIO
import Synchronization

/// Tells the operation running on a pooled connection when that connection closes (see
/// `LeaseDeadline`), with one `closeFuture` callback per connection rather than one per lease:
/// a connection serves thousands of leases, and NIO keeps every callback until the future
/// completes, so a callback per lease would pile up for the connection's whole life.
final class ConnectionWatch: Sendable {
    /// What to call if the connection closes, per connection (one lease at a time uses it).
    private let watchers = Mutex<[ObjectIdentifier: @Sendable () -> Void]>([:])
    /// Connections whose `closeFuture` callback is registered.
    private let registered = Mutex<Set<ObjectIdentifier>>([])

    /// Connections with a registered close callback (for tests and diagnostics).
    var registeredCount: Int {
        registered.withLock { $0.count }
    }

    /// Calls `onClose` if `connection` closes before the returned function is called (at once if
    /// it has closed already).
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let key = ObjectIdentifier(connection)
        watchers.withLock { $0[key] = onClose }
        let isNew = registered.withLock { $0.insert(key).inserted }
        if isNew {
            connection.closeFuture.whenComplete { [self] _ in
                registered.withLock { _ = $0.remove(key) }
                watchers.withLock { $0.removeValue(forKey: key) }?()
            }
        }
        return { [self] in watchers.withLock { _ = $0.removeValue(forKey: key) } }
    }
}

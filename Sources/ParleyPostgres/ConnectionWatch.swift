import PostgresNIO
import Synchronization

/// Tells the operation running on a pooled connection when that connection closes (see
/// `LeaseDeadline`), with one `closeFuture` callback per connection rather than one per lease:
/// a connection serves thousands of leases, and NIO keeps every callback until the future
/// completes, so a callback per lease would pile up for the connection's whole life.
final class ConnectionWatch: Sendable {
    /// A key for every connection whose close callback is registered; its value is what to call
    /// when it closes (the lease using it now), nil between leases.
    private let watched = Mutex<[ObjectIdentifier: (@Sendable () -> Void)?]>([:])

    /// Connections with a registered close callback (for tests and diagnostics).
    var registeredCount: Int {
        watched.withLock { $0.count }
    }

    /// Calls `onClose` if `connection` closes before the returned function is called (at once if
    /// it has closed already).
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let key = ObjectIdentifier(connection)
        let isNew = watched.withLock { watched in
            defer { watched[key] = .some(onClose) }
            return watched[key] == nil
        }
        if isNew {
            connection.closeFuture.whenComplete { [self] _ in
                let onClose = watched.withLock { $0.removeValue(forKey: key) } ?? nil
                onClose?()
            }
        }
        return { [self] in
            watched.withLock { watched in
                if watched[key] != nil { watched[key] = .some(nil) }
            }
        }
    }
}

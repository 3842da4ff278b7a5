import Logging
import NIOCore
import ParleyHTTP
import Synchronization

/// Counts the server's open connections, shared by every connection's `ConnectionGuard`, and says
/// whether one more may stay.
///
/// A refused connection is accepted and closed at once rather than left in the listen backlog:
/// its descriptor is back at once, and the client learns straight away instead of hanging.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)
    /// Refusals come in floods: one line per 10 s, with how many there were.
    private let refusals = LogThrottle()
    private let logger: Logger

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Counts a new connection; false when it takes the count past the limit (it is still
    /// counted, and `closed()` must follow either way).
    func opened() -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard count > limit else { return true }
        refusals.warning(
            logger, "Connection refused: the server is at its connection limit (PARLEY_MAX_CONNECTIONS)", metadata: ["limit": "\(limit)"])
        return false
    }

    func closed() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}

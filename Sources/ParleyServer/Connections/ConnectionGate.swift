import Logging
import NIOCore
import Synchronization

/// Counts the server's open connections, shared by every connection's `ConnectionGuard`, and says
/// whether one more may stay.
///
/// A refused connection is accepted and closed at once rather than left in the listen backlog:
/// its descriptor is back at once, and the client learns straight away instead of hanging.
final class ConnectionGate: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refusals = Mutex<Refusals>(Refusals())
    private let logger: Logger

    /// Refusals come in floods; the log gets one line per `logInterval` with how many there were.
    private struct Refusals {
        var sinceLastLine = 0
        var lastLine: NIODeadline?
    }

    static let logInterval = TimeAmount.seconds(10)

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
        let line: Int? = refusals.withLock { refusals in
            refusals.sinceLastLine += 1
            let now = NIODeadline.now()
            if let last = refusals.lastLine, now - last < Self.logInterval { return nil }
            refusals.lastLine = now
            defer { refusals.sinceLastLine = 0 }
            return refusals.sinceLastLine
        }
        if let line {
            logger.warning(
                "Connection refused: the server is at its connection limit (PARLEY_MAX_CONNECTIONS)",
                metadata: ["limit": "\(limit)", "refused": "\(line)"])
        }
        return false
    }

    func closed() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}

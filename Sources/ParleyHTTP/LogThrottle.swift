import Logging
import NIOCore
import Synchronization

/// At most one log line per interval for an event that can come in floods (refused
/// connections, failed logins, forged signatures), saying how many there were since the last one.
public final class LogThrottle: Sendable {
    private struct State {
        var sinceLastLine = 0
        var lastLine: NIODeadline?
    }

    private let interval: TimeAmount
    private let state = Mutex(State())

    public init(interval: TimeAmount = .seconds(10)) {
        self.interval = interval
    }

    /// Counts one event; logs it (with the count so far) unless a line was written within the interval.
    public func warning(_ logger: Logger, _ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        let count: Int? = state.withLock { state in
            state.sinceLastLine += 1
            let now = NIODeadline.now()
            if let last = state.lastLine, now - last < interval { return nil }
            state.lastLine = now
            defer { state.sinceLastLine = 0 }
            return state.sinceLastLine
        }
        guard let count else { return }
        var fields = metadata()
        fields["count"] = "\(count)"
        logger.warning(message(), metadata: fields)
    }
}

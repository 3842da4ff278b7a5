import Synchronization

/// Counts the completed passes of a long-lived polling loop (the webhook and channel
/// dispatchers). Two passes completed after a moment mean that everything due at that moment
/// has been tried and recorded: tests wait for that instead of sleeping.
public final class PassCounter: Sendable {
    private let count = Mutex(0)

    public init() {}

    public var completed: Int { count.withLock { $0 } }

    public func complete() {
        count.withLock { $0 += 1 }
    }
}

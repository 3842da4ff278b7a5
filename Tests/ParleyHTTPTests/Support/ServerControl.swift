import ParleyDomain
import Synchronization

/// What a test may do to the server's time: move its clock forward, and wait until the
/// dispatchers have tried everything that is due, instead of sleeping.
final class ServerControl: Sendable {
    private let offsetMilliseconds = Mutex<Int64>(0)
    let passes = (webhooks: PassCounter(), channels: PassCounter())

    /// The real time, moved forward by every `advance`.
    var now: @Sendable () -> Timestamp {
        { [self] in Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + offsetMilliseconds.withLock { $0 }) }
    }

    /// Moves the server's clock forward: retries, claims and prompts come due without waiting.
    func advance(by seconds: Double) {
        offsetMilliseconds.withLock { $0 += Int64(seconds * 1000) }
    }

    /// Returns once both dispatchers have completed two passes after the call: whatever was due
    /// when it was called has been sent (or attempted) and recorded. A pass may have been under
    /// way at the call, so one is not enough.
    func settle(timeout: Duration = .seconds(60)) async throws {
        let targets = (webhooks: passes.webhooks.completed + 2, channels: passes.channels.completed + 2)
        let deadline = ContinuousClock.now + timeout
        while passes.webhooks.completed < targets.webhooks || passes.channels.completed < targets.channels {
            guard ContinuousClock.now < deadline else { throw SettleTimeout() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    struct SettleTimeout: Error, CustomStringConvertible {
        var description: String { "the dispatchers did not complete two passes in time" }
    }
}

/// When to try a failed delivery again, shaped like swift-jobs' retry strategies: a pure function
/// from the attempt count to a delay (or "give up"), so the schedule is testable without clocks.
///
/// Shared by webhook delivery and channel connectors.
///
/// Default: 5 attempts; after the n-th failure wait `base × 2^(n-1)` with jitter in [50%, 100%] of
/// that — 30 s, 60 s, 2 min, 4 min at most, so all 5 attempts fall within 8 minutes, inside the
/// original's promise of 5 attempts within 15 minutes.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelaySeconds: Double
    public var requestTimeoutSeconds: Double

    /// Answers that mean "this will never work": no retry, straight to dead (the original's list).
    public static let permanentFailureCodes: Set<Int> = [400, 401, 403, 404, 406]

    public init(maxAttempts: Int = 5, baseDelaySeconds: Double = 30, requestTimeoutSeconds: Double = 20) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// Milliseconds to wait after the `attempts`-th failed attempt, or nil when it was the last.
    /// `jitter` is a number in [0, 1] (random in production, fixed in tests).
    public func delayMilliseconds(afterAttempts attempts: Int, jitter: Double) -> Int64? {
        guard attempts < maxAttempts else { return nil }
        // At most a year: settings and attempt counts then cannot overflow the next attempt's time.
        let ceiling = min(baseDelaySeconds * Double(1 << min(max(attempts - 1, 0), 20)) * 1000, 31_536_000_000)
        // Jitter spreads retries of many failing webhooks so a recovering receiver is not stampeded.
        return Int64(ceiling * (0.5 + 0.5 * min(max(jitter, 0), 1)))
    }

    /// What a finished attempt means for the batch.
    public func outcome(attempts: Int, statusCode: Int?, error: String?, at now: Timestamp, jitter: Double) -> DeliveryOutcome {
        if let statusCode, (200..<300).contains(statusCode) {
            return DeliveryOutcome(state: .delivered, at: now, statusCode: statusCode)
        }
        let detail = error ?? statusCode.map { "HTTP \($0)" }
        if let statusCode, Self.permanentFailureCodes.contains(statusCode) {
            return DeliveryOutcome(state: .dead, at: now, statusCode: statusCode, error: detail)
        }
        guard let delay = delayMilliseconds(afterAttempts: attempts, jitter: jitter) else {
            return DeliveryOutcome(state: .dead, at: now, statusCode: statusCode, error: detail)
        }
        return DeliveryOutcome(
            state: .pending, at: now, statusCode: statusCode, error: detail,
            nextAttemptAt: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + delay))
    }
}

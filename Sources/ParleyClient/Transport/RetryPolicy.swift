/// When and how often a ``SunshineClient`` tries a call again.
///
/// Retried: connection failures and timeouts, `429 Too Many Requests`, `5xx` answers other than
/// `501 Not Implemented` (which will not change), and Parley's `409 idempotency_key_in_use` (the
/// first attempt of the same POST is still running). The wait doubles from ``baseDelay`` up to
/// ``maxDelay`` with random jitter (so many clients refused together do not return together), and
/// a `Retry-After` header in seconds is honoured instead, up to ``maxRetryAfter``.
///
/// Retrying a POST is safe because every POST carries one `Idempotency-Key` for all its attempts:
/// a server that honours it (Parley does) replays the first answer instead of writing twice.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each later one.
    public var baseDelay: Duration
    /// The longest computed wait between two attempts.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    public var maxRetryAfter: Duration
    /// Whether computed waits are randomised (between half and all of the computed wait).
    public var jitter: Bool

    /// A policy; the defaults are ``default``'s.
    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(30), jitter: Bool = true
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// Three attempts, 250 ms then 500 ms apart (with jitter), `Retry-After` up to 30 s.
    public static let `default` = RetryPolicy()
    /// One attempt: errors are thrown at once.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether an answer with this status (and first error code) is worth another attempt.
    func retries(status: Int, code: String?) -> Bool {
        switch status {
        case 429: true
        case 501: false
        case 500...599: true
        case 409: code == "idempotency_key_in_use"
        default: false
        }
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed; `retryAfter` is the answer's
    /// `Retry-After` in seconds when it had one.
    func delay(after attempt: Int, retryAfter: Int?) -> Duration {
        if let retryAfter, retryAfter >= 0 {
            return min(.seconds(retryAfter), maxRetryAfter)
        }
        // 2^(attempt-1), with the exponent bounded so nothing overflows.
        let factor = 1 << min(max(attempt - 1, 0), 20)
        let computed = min(baseDelay * factor, maxDelay)
        guard jitter else { return computed }
        return computed * Double.random(in: 0.5...1.0)
    }
}

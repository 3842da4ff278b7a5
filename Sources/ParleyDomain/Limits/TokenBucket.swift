/// One subject's allowance: up to `burst` tokens, refilled at `perSecond`; each request takes one.
struct TokenBucket {
    private(set) var tokens: Double
    private(set) var updated: Int64

    /// A subject not seen before (or forgotten while its bucket was full) starts with a full one.
    init(full limit: RateLimit, at milliseconds: Int64) {
        tokens = Double(limit.burst)
        updated = milliseconds
    }

    /// Adds what the time since the last refill earned. A clock that steps back adds nothing and
    /// takes nothing away.
    mutating func refill(_ limit: RateLimit, at milliseconds: Int64) {
        guard milliseconds > updated else { return }
        tokens = min(Double(limit.burst), tokens + Double(milliseconds - updated) / 1000 * limit.perSecond)
        updated = milliseconds
    }

    func isFull(_ limit: RateLimit) -> Bool {
        tokens >= Double(limit.burst)
    }

    /// Milliseconds until a whole token is there: 0 when one is.
    func wait(_ limit: RateLimit) -> Int64 {
        tokens >= 1 ? 0 : Int64(((1 - tokens) / limit.perSecond * 1000).rounded(.up))
    }

    mutating func take() {
        tokens -= 1
    }
}

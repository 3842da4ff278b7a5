/// How many requests a credential, or an app, may make: `perSecond` on average, and up to `burst`
/// at once after a quiet spell (`PARLEY_RATE_LIMIT`, `PARLEY_RATE_BURST`).
public struct RateLimit: Hashable, Sendable {
    public var perSecond: Double
    public var burst: Int

    /// `burst` is at least one request, else nothing would ever pass.
    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = max(1, burst)
    }
}

@testable import ParleyDomain
import Synchronization
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    /// A clock the test moves by hand.
    final class Clock: Sendable {
        private let milliseconds = Mutex<Int64>(1_800_000_000_000)
        var now: @Sendable () -> Timestamp { { [self] in Timestamp(millisecondsSince1970: milliseconds.withLock { $0 }) } }
        func advance(_ by: Int64) { milliseconds.withLock { $0 += by } }
    }

    let ids = ResourceIDGenerator()

    func key() -> RateLimiter.Subject { .key(KeyID(scope: .app, id: ids.next())) }

    @Test("A full bucket lets the burst through, then refuses until a token has been earned, saying how long")
    func burstThenWait() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(perSecond: 2, burst: 3), now: clock.now)
        let subject = key()
        for _ in 0..<3 { #expect(limiter.admit([subject]) == .admitted) }
        #expect(limiter.admit([subject]) == .refused(retryAfterMilliseconds: 500))
        clock.advance(250)
        #expect(limiter.admit([subject]) == .refused(retryAfterMilliseconds: 250))
        clock.advance(250)
        #expect(limiter.admit([subject]) == .admitted)
        #expect(limiter.admit([subject]) == .refused(retryAfterMilliseconds: 500))
        // A long quiet spell fills the bucket up to the burst, no further.
        clock.advance(60_000)
        for _ in 0..<3 { #expect(limiter.admit([subject]) == .admitted) }
        #expect(limiter.admit([subject]) != .admitted)
    }

    @Test("A request counts against all its subjects or none: refused by its app, it leaves its key's tokens")
    func allOrNothing() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(perSecond: 1, burst: 2), now: clock.now)
        let app = RateLimiter.Subject.app(ids.next())
        let (first, second) = (key(), key())
        #expect(limiter.admit([first, app]) == .admitted)
        #expect(limiter.admit([first, app]) == .admitted)
        for _ in 0..<5 { #expect(limiter.admit([second, app]) == .refused(retryAfterMilliseconds: 1000)) }
        // `second` was never charged: alone (another app's path, say) it still has its burst.
        #expect(limiter.admit([second]) == .admitted)
        #expect(limiter.admit([second]) == .admitted)
        #expect(limiter.admit([second]) == .refused(retryAfterMilliseconds: 1000))
        // The longest wait of the two is the one reported.
        clock.advance(1000)
        #expect(limiter.admit([first, app]) == .admitted)
        #expect(limiter.admit([second, app]) == .refused(retryAfterMilliseconds: 1000))
    }

    @Test("A clock that steps back neither refills nor fails")
    func clockStepsBack() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(perSecond: 1, burst: 1), now: clock.now)
        let subject = key()
        #expect(limiter.admit([subject]) == .admitted)
        clock.advance(-10_000)
        #expect(limiter.admit([subject]) == .refused(retryAfterMilliseconds: 1000))
        clock.advance(11_000)
        #expect(limiter.admit([subject]) == .admitted)
    }

    @Test("Buckets of subjects gone quiet are forgotten once there are many, and those in use are kept")
    func sweep() {
        let clock = Clock()
        let limiter = RateLimiter(limit: RateLimit(perSecond: 1, burst: 2), now: clock.now)
        let busy = key()
        #expect(limiter.admit([busy]) == .admitted)
        for _ in 1..<RateLimiter.smallestSweep { #expect(limiter.admit([key()]) == .admitted) }
        // Every bucket was just used, so the first sweep forgets none.
        #expect(limiter.bucketCount == RateLimiter.smallestSweep)
        clock.advance(10_000)
        #expect(limiter.admit([busy]) == .admitted)
        #expect(limiter.admit([busy]) == .admitted)
        for _ in 0..<RateLimiter.smallestSweep { _ = limiter.admit([key()]) }
        // At 2,048 buckets the 1,023 quiet ones went; the busy one and the new ones stayed.
        #expect(limiter.bucketCount == 1 + RateLimiter.smallestSweep)
        // The busy subject's empty bucket survived the sweep.
        #expect(limiter.admit([busy]) == .refused(retryAfterMilliseconds: 1000))
    }
}

import Synchronization

/// Token buckets for the API's callers, one per credential and one per app, all with the same
/// `RateLimit`: a request passes only if every bucket it counts against has a token, and then takes
/// one from each (a refused request takes nothing). Held in this process's memory: each node limits
/// on its own (docs/DECISIONS.md, "Rate limits").
public final class RateLimiter: Sendable {
    /// What a request counts against.
    public enum Subject: Hashable, Sendable {
        case key(KeyID)
        case app(ResourceID)
    }

    public enum Decision: Equatable, Sendable {
        case admitted
        /// Nothing was taken; a token is there again after `retryAfterMilliseconds`.
        case refused(retryAfterMilliseconds: Int64)
    }

    private struct State {
        var buckets: [Subject: TokenBucket] = [:]
        /// Past this many buckets, the full ones are forgotten (a full bucket is what a new one is).
        var sweepAt = RateLimiter.smallestSweep
    }

    static let smallestSweep = 1024

    public let limit: RateLimit
    private let now: @Sendable () -> Timestamp
    private let state = Mutex(State())

    public init(limit: RateLimit, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.limit = limit
        self.now = now
    }

    public func admit(_ subjects: [Subject]) -> Decision {
        let at = now().millisecondsSince1970
        let limit = self.limit
        return state.withLock { state in
            var wait: Int64 = 0
            for subject in subjects {
                var bucket = state.buckets[subject] ?? TokenBucket(full: limit, at: at)
                bucket.refill(limit, at: at)
                state.buckets[subject] = bucket
                wait = max(wait, bucket.wait(limit))
            }
            guard wait == 0 else { return .refused(retryAfterMilliseconds: wait) }
            for subject in subjects { state.buckets[subject]?.take() }
            if state.buckets.count >= state.sweepAt {
                state.buckets = state.buckets.filter { _, bucket in
                    var bucket = bucket
                    bucket.refill(limit, at: at)
                    return !bucket.isFull(limit)
                }
                state.sweepAt = max(Self.smallestSweep, state.buckets.count * 2)
            }
            return .admitted
        }
    }

    /// How many subjects have a bucket now (for tests of the sweep).
    var bucketCount: Int {
        state.withLock { $0.buckets.count }
    }
}

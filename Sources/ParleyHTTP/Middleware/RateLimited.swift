/// A request over its rate limit (`RateLimiter`): 429 in the envelope, with `Retry-After` in whole
/// seconds, at least one.
struct RateLimited: Error {
    let retryAfterSeconds: Int64

    init(retryAfterMilliseconds: Int64) {
        retryAfterSeconds = max(1, retryAfterMilliseconds / 1000 + (retryAfterMilliseconds % 1000 == 0 ? 0 : 1))
    }
}

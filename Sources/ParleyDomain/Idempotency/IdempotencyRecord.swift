/// What the store keeps of an idempotency key: the request it was first used for and, once that
/// request has been answered, its answer.
public struct IdempotencyRecord: Hashable, Sendable {
    public var key: IdempotencyKey
    /// The method, path and query the key was first used with (`IdempotencyService.fingerprint`).
    public var request: String
    /// When the key was claimed; it also identifies the claim, so a claim taken over after being
    /// abandoned cannot be completed by the request that abandoned it.
    public var claimedAt: Timestamp
    /// SHA-256 of the first request's body, in hex; nil while pending, or when the handler
    /// answered without reading its whole body (then only `request` is compared).
    public var bodyDigest: String?
    /// nil while the first request is still being answered.
    public var answer: RecordedAnswer?

    public init(key: IdempotencyKey, request: String, claimedAt: Timestamp, bodyDigest: String? = nil, answer: RecordedAnswer? = nil) {
        self.key = key
        self.request = request
        self.claimedAt = claimedAt
        self.bodyDigest = bodyDigest
        self.answer = answer
    }
}

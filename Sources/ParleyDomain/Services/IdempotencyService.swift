/// The rules of `Idempotency-Key` (docs/DECISIONS.md "Idempotency keys"): the first request with
/// a key runs and its answer is kept for 24 hours; a retry with the same method, path and body gets
/// that answer again; the same key with another request is refused (422), and a retry while the
/// first is still running is told so (409) rather than run twice.
public struct IdempotencyService: Sendable {
    /// How long an answer is replayed, and kept.
    public static let windowMilliseconds: Int64 = 24 * 3_600_000
    /// A claim pending this long belongs to a request that will never answer (its node died):
    /// a retry may run. No request runs this long; the slowest, an upload, is bounded by its size.
    public static let abandonedAfterMilliseconds: Int64 = 5 * 60_000

    /// What `claim` found.
    public enum Claim: Sendable, Hashable {
        /// The key is this request's now: run it, then `complete` or `release` with `at`.
        case claimed(at: Timestamp)
        /// An earlier request with this key was answered; `replay` it once the body is known.
        case answered(IdempotencyRecord)
    }

    private let store: any IdempotencyStore
    private let now: @Sendable () -> Timestamp

    public init(store: any IdempotencyStore, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.now = now
    }

    /// `request`: what the key is bound to besides the body (method, path and query).
    public func claim(_ key: IdempotencyKey, request: String) async throws -> Claim {
        let now = now()
        guard let existing = try await store.claimIdempotencyKey(
            key, request: request, at: now,
            staleBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Self.windowMilliseconds),
            abandonedBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Self.abandonedAfterMilliseconds))
        else { return .claimed(at: now) }
        guard existing.request == request else { throw Self.reused }
        guard existing.answer != nil else {
            throw ParleyError(
                kind: .conflict, code: "idempotency_key_in_use",
                title: "A request with this Idempotency-Key is still being answered; retry it later")
        }
        return .answered(existing)
    }

    /// The answer to give a retry whose body has `bodyDigest`: the first one, unless the body differs.
    public func replay(_ record: IdempotencyRecord, bodyDigest: String) throws -> RecordedAnswer {
        guard let answer = record.answer else { throw Self.reused }
        if let first = record.bodyDigest, first != bodyDigest { throw Self.reused }
        return answer
    }

    public func complete(_ key: IdempotencyKey, claimedAt: Timestamp, bodyDigest: String?, answer: RecordedAnswer) async throws {
        try await store.completeIdempotencyKey(key, claimedAt: claimedAt, bodyDigest: bodyDigest, answer: answer)
    }

    public func release(_ key: IdempotencyKey, claimedAt: Timestamp) async throws {
        try await store.releaseIdempotencyKey(key, claimedAt: claimedAt)
    }

    /// Deletes the records no retry can use any more; returns how many.
    public func prune() async throws -> Int {
        try await store.pruneIdempotencyKeys(claimedBefore: Timestamp(millisecondsSince1970: now().millisecondsSince1970 - Self.windowMilliseconds))
    }

    private static let reused = ParleyError(
        kind: .unprocessableContent, code: "idempotency_key_reused",
        title: "This Idempotency-Key was already used for another request (method, path or body)")
}

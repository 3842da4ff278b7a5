/// Persistence of idempotency keys. Several nodes on one PostgreSQL database share it, so a retry
/// sent to another node still finds the first answer.
public protocol IdempotencyStore: Sendable {
    /// Atomically records a pending claim of `key` for `request`, unless the key has a record
    /// claimed at or after `staleBefore` that is answered, or pending since `abandonedBefore` or
    /// later; such a record is returned instead (and nothing is written). Older records are
    /// replaced. Returns nil when the claim was recorded.
    func claimIdempotencyKey(
        _ key: IdempotencyKey, request: String, at now: Timestamp, staleBefore: Timestamp, abandonedBefore: Timestamp
    ) async throws -> IdempotencyRecord?
    /// Stores the answer of the claim made at `claimedAt`; does nothing if that claim was
    /// replaced meanwhile.
    func completeIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp, bodyDigest: String?, answer: RecordedAnswer) async throws
    /// Forgets the claim made at `claimedAt` (its request failed), so a retry runs anew.
    func releaseIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp) async throws
    /// Deletes records claimed before `before`; returns how many.
    func pruneIdempotencyKeys(claimedBefore before: Timestamp) async throws -> Int
}

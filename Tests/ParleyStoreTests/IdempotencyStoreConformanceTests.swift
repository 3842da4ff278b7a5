import ParleyDomain
import Testing

/// Idempotency keys: one claim wins, however many requests race for a key; an answered key is
/// returned until it is stale; an abandoned claim is taken over; a released one is free again.
@Suite("Store conformance: idempotency keys")
struct IdempotencyStoreConformanceTests {
    static let hour: Int64 = 3_600_000

    static func claim(
        _ store: any ParleyStore, _ key: IdempotencyKey, _ request: String = "POST /v2/apps?", at now: Int64
    ) async throws -> IdempotencyRecord? {
        try await store.claimIdempotencyKey(
            key, request: request, at: Timestamp(millisecondsSince1970: now),
            staleBefore: Timestamp(millisecondsSince1970: now - 24 * hour), abandonedBefore: Timestamp(millisecondsSince1970: now - 300_000))
    }

    @Test("Of concurrent claims of one key exactly one wins; the others find it pending", arguments: StoreFactory.all)
    func concurrentClaims(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let key = IdempotencyKey(scope: "app:\(ResourceIDGenerator().next())", value: "retry-1")
        let results = try await withThrowingTaskGroup(of: IdempotencyRecord?.self) { group in
            for _ in 0..<16 { group.addTask { try await Self.claim(store, key, at: 1_000 * Self.hour) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 == nil }.count == 1)
        #expect(results.compactMap { $0 }.allSatisfy { $0.answer == nil && $0.request == "POST /v2/apps?" })
    }

    @Test("An answer is kept with its body digest until stale; a claim is completed only by its own request", arguments: StoreFactory.all)
    func answers(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let key = IdempotencyKey(scope: "key:act_\(ResourceIDGenerator().next())", value: "k")
        let t0 = 1_000 * Self.hour
        #expect(try await Self.claim(store, key, at: t0) == nil)
        let answer = RecordedAnswer(status: 201, contentType: "application/json", body: Array(#"{"app":{}}"#.utf8))
        // A completion naming another claim's time changes nothing.
        try await store.completeIdempotencyKey(key, claimedAt: Timestamp(millisecondsSince1970: t0 + 1), bodyDigest: "ab", answer: answer)
        #expect(try await Self.claim(store, key, at: t0 + 10)?.answer == nil)
        try await store.completeIdempotencyKey(key, claimedAt: Timestamp(millisecondsSince1970: t0), bodyDigest: "ab", answer: answer)

        // Answered: returned (not taken over) long after the abandonment delay, within 24 hours.
        let found = try await Self.claim(store, key, "POST /v2/apps?other", at: t0 + 23 * Self.hour)
        #expect(found == IdempotencyRecord(key: key, request: "POST /v2/apps?", claimedAt: Timestamp(millisecondsSince1970: t0), bodyDigest: "ab", answer: answer))
        // A release cannot remove an answered key.
        try await store.releaseIdempotencyKey(key, claimedAt: Timestamp(millisecondsSince1970: t0))
        #expect(try await Self.claim(store, key, at: t0 + 23 * Self.hour)?.answer == answer)
        // Stale: claimed anew.
        #expect(try await Self.claim(store, key, "POST /v2/apps?later", at: t0 + 25 * Self.hour) == nil)
        #expect(try await Self.claim(store, key, at: t0 + 25 * Self.hour + 1)?.request == "POST /v2/apps?later")
    }

    @Test("A pending claim is taken over once abandoned, or at once after its release; pruning removes old keys only", arguments: StoreFactory.all)
    func abandonAndRelease(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let scope = "app:\(ResourceIDGenerator().next())"
        let abandoned = IdempotencyKey(scope: scope, value: "a")
        let released = IdempotencyKey(scope: scope, value: "b")
        let t0 = 2_000 * Self.hour
        #expect(try await Self.claim(store, abandoned, at: t0) == nil)
        #expect(try await Self.claim(store, released, at: t0) == nil)
        #expect(try await Self.claim(store, abandoned, at: t0 + 299_000) != nil)
        #expect(try await Self.claim(store, abandoned, at: t0 + 301_000) == nil)

        try await store.releaseIdempotencyKey(released, claimedAt: Timestamp(millisecondsSince1970: t0))
        #expect(try await Self.claim(store, released, at: t0 + 1) == nil)

        // `abandoned` was claimed anew at t0 + 301 s, `released` at t0 + 1 ms.
        #expect(try await store.pruneIdempotencyKeys(claimedBefore: Timestamp(millisecondsSince1970: t0 + 1_000)) == 1)
        #expect(try await Self.claim(store, released, at: t0 + 2_000) == nil)
        #expect(try await Self.claim(store, abandoned, at: t0 + 302_000) != nil)
    }
}

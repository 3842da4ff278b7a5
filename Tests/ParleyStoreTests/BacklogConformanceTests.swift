import ParleyDomain
import Testing

/// `outboxBacklog`, what `/metrics` reads: counts by state and the oldest waiting work.
@Suite("Store conformance: outbox backlog")
struct BacklogConformanceTests {
    @Test("Pending and dead deliveries and channel jobs, the oldest waiting event and the earliest due job", arguments: StoreFactory.all)
    func backlog(factory: StoreFactory) async throws {
        let outbox = EventStoreConformanceTests()
        let fixture = try await outbox.fixture(factory)
        #expect(try await fixture.store.outboxBacklog() == OutboxBacklog())
        let t0: Int64 = 1_700_000_000_000
        for index in 0..<3 { _ = try await outbox.post(fixture, at: t0 + Int64(index) * 1000) }
        let first = try #require(try await fixture.store.dueBatches(now: Timestamp(millisecondsSince1970: t0), batchSize: 1, limit: 10).first)
        try await fixture.store.recordAttempt(first, outcome: DeliveryOutcome(state: .dead, at: Timestamp(millisecondsSince1970: t0), statusCode: 400))

        let clients = ClientStoreConformanceTests()
        let clientFixture = try await clients.fixture(factory)
        let (client, job) = clients.pending(clientFixture)
        try await clientFixture.store.insertClient(client, job: job, participant: nil, events: [])

        // Both fixtures made their own store: each is read on its own.
        var expected = OutboxBacklog()
        expected.webhookPending = 2
        expected.webhookDead = 1
        expected.webhookOldestPending = Timestamp(millisecondsSince1970: t0 + 1000)
        #expect(try await fixture.store.outboxBacklog() == expected)
        let channels = try await clientFixture.store.outboxBacklog()
        #expect(channels.channelPending == 1 && channels.channelDead == 0 && channels.channelOldestDue != nil)
    }
}

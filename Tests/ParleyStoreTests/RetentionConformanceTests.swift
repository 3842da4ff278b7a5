import Foundation
import ParleyDomain
import Testing

/// The retention sweep (`RetentionService`) on each engine: what it deletes, and what it keeps.
@Suite("Store conformance: retention")
struct RetentionConformanceTests {
    static let day: Int64 = 86_400_000
    static let t0: Int64 = 1_700_000_000_000

    static func sweep(_ store: any ParleyStore, at millis: Int64, policy: RetentionPolicy = RetentionPolicy()) async throws -> RetentionSweep {
        try await RetentionService(store: store, policy: policy, now: { Timestamp(millisecondsSince1970: millis) }).sweep()
    }

    @Test("Old events go once no delivery waits on them, delivered rows sooner; each conversation keeps its newest event and its numbering", arguments: StoreFactory.all)
    func events(factory: StoreFactory) async throws {
        let outbox = EventStoreConformanceTests()
        let fixture = try await outbox.fixture(factory)
        let store = fixture.store
        var posted: [ResourceID] = []
        for index in 0..<4 { posted.append(try await outbox.post(fixture, at: Self.t0 + Int64(index))) }
        let at = Timestamp(millisecondsSince1970: Self.t0)
        let first = try #require(try await store.dueBatches(now: at, batchSize: 2, limit: 10).first)
        try await store.recordAttempt(first, outcome: DeliveryOutcome(state: .delivered, at: at, statusCode: 200))

        // Within every period: nothing goes.
        #expect(try await Self.sweep(store, at: Self.t0 + 6 * Self.day) == RetentionSweep())
        // Past the delivered rows' 7 days, not the events' 30: the two delivered rows go.
        var sweep = try await Self.sweep(store, at: Self.t0 + 8 * Self.day)
        #expect(sweep.deliveries == 2 && sweep.events == 0)
        #expect(try await store.deliveries(webhookId: fixture.webhook.id, limit: 10).map(\.eventId) == [posted[3], posted[2]])

        // Past 30 days: the two delivered events go; the two still pending stay.
        sweep = try await Self.sweep(store, at: Self.t0 + 31 * Self.day)
        #expect(sweep.events == 2 && sweep.deliveries == 0)
        #expect(try await store.conversationEvents(conversationId: fixture.conversation.id, after: 0, limit: 10).map(\.event.id) == [posted[2], posted[3]])

        // Given up on: the third goes with its dead delivery; the fourth stays, the conversation's newest.
        let rest = try #require(try await store.dueBatches(now: Timestamp(millisecondsSince1970: Self.t0 + 10), batchSize: 2, limit: 10).first)
        try await store.recordAttempt(rest, outcome: DeliveryOutcome(state: .dead, at: at, statusCode: 500, error: "HTTP 500"))
        sweep = try await Self.sweep(store, at: Self.t0 + 31 * Self.day)
        #expect(sweep.events == 1)
        let kept = try await store.conversationEvents(conversationId: fixture.conversation.id, after: 0, limit: 10)
        #expect(kept.map(\.event.id) == [posted[3]])
        #expect(kept.map(\.seq) == [4])
        #expect(try await store.deliveries(webhookId: fixture.webhook.id, limit: 10).map(\.eventId) == [posted[3]])

        // The numbering goes on from the newest event.
        let next = try await outbox.post(fixture, at: Self.t0 + 31 * Self.day)
        #expect(try await store.conversationEvents(conversationId: fixture.conversation.id, after: 4, limit: 10).map(\.seq) == [5])
        #expect(try await store.conversationEvents(conversationId: fixture.conversation.id, after: 4, limit: 10).map(\.event.id) == [next])

        // Periods of nil keep everything.
        #expect(try await Self.sweep(store, at: Self.t0 + 3650 * Self.day, policy: RetentionPolicy(eventDays: nil, deliveredDays: nil, channelJobDays: nil)).events == 0)
    }

    @Test("Finished channel jobs go after their period; a pending one stays", arguments: StoreFactory.all)
    func channelJobs(factory: StoreFactory) async throws {
        let clients = ClientStoreConformanceTests()
        let fixture = try await clients.fixture(factory)
        let (client, finished) = clients.pending(fixture)
        try await fixture.store.insertClient(client, job: finished, participant: nil, events: [])
        let at = Timestamp(millisecondsSince1970: Self.t0)
        try await fixture.store.recordChannelJob(finished, outcome: DeliveryOutcome(state: .delivered, at: at, statusCode: 200), effect: .unchanged) { _ in [] }
        let (other, waiting) = clients.pending(fixture, primary: false)
        try await fixture.store.insertClient(other, job: waiting, participant: nil, events: [])

        #expect(try await Self.sweep(fixture.store, at: Self.t0 + 29 * Self.day).channelJobs == 0)
        #expect(try await Self.sweep(fixture.store, at: Self.t0 + 31 * Self.day).channelJobs == 1)
        #expect(try await fixture.store.channelJob(id: finished.id) == nil)
        #expect(try await fixture.store.channelJob(id: waiting.id)?.state == .pending)
    }

    @Test("An app's conversationRetentionSeconds clears the messages of conversations inactive that long; other apps keep theirs; old idempotency keys go", arguments: StoreFactory.all)
    func conversations(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let ids = ResourceIDGenerator()
        var settings = AppSettings()
        settings.conversationRetentionSeconds = 3600
        let retaining = App(id: ids.next(), displayName: "Retaining", settings: settings)
        let keeping = App(id: ids.next(), displayName: "Keeping")
        try await store.insertApp(retaining)
        try await store.insertApp(keeping)
        func conversation(_ app: App, messageAt millis: Int64) async throws -> ResourceID {
            let at = Timestamp(millisecondsSince1970: millis)
            let conversation = try await store.insertConversation(
                Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: at, createdAt: at), participants: [], events: { _ in [] })
            let message = Message(
                id: ids.next(), conversationId: conversation.id, received: at, author: MessageAuthor(type: .business),
                content: .object(["type": .string("text"), "text": .string("hi")]), source: .api)
            _ = try await store.appendMessage(message, limit: 100) { _, _ in [] }
            return conversation.id
        }
        let idle = try await conversation(retaining, messageAt: Self.t0)
        let active = try await conversation(retaining, messageAt: Self.t0 + 3_000_000)
        let elsewhere = try await conversation(keeping, messageAt: Self.t0)
        let key = IdempotencyKey(scope: "app:\(retaining.id)", value: "k")
        _ = try await store.claimIdempotencyKey(
            key, request: "POST /", at: Timestamp(millisecondsSince1970: Self.t0), staleBefore: Timestamp(millisecondsSince1970: 0),
            abandonedBefore: Timestamp(millisecondsSince1970: 0))

        let sweep = try await Self.sweep(store, at: Self.t0 + 3_700_000)
        #expect(sweep.clearedConversations == 1)
        #expect(sweep.idempotencyKeys == 0)
        func count(_ id: ResourceID) async throws -> Int { try await store.messages(conversationId: id, page: PageRequest()).items.count }
        #expect(try await count(idle) == 0)
        #expect(try await count(active) == 1)
        #expect(try await count(elsewhere) == 1)
        // Cleared once: nothing more to clear, and the conversation's message count starts again
        // (a limit of one message takes a new one).
        #expect(try await Self.sweep(store, at: Self.t0 + 3_700_000).clearedConversations == 0)
        let again = Message(
            id: ids.next(), conversationId: idle, received: .now(), author: MessageAuthor(type: .business),
            content: .object(["type": .string("text"), "text": .string("again")]), source: .api)
        _ = try await store.appendMessage(again, limit: 1) { _, _ in [] }
        #expect(try await count(idle) == 1)
        #expect(try await Self.sweep(store, at: Self.t0 + Self.day + 1).idempotencyKeys == 1)
    }
}

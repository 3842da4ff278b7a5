import Foundation
import ParleyDomain
import Testing

/// The outbox: fan-out into deliveries in the writing transaction, batches in commit order,
/// outcomes, redelivery. What the webhook dispatcher relies on, whatever the engine.
@Suite("Store conformance: outbox")
struct EventStoreConformanceTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        let webhook: Webhook
        let quiet: Webhook
        let conversation: Conversation
    }

    func fixture(_ factory: StoreFactory) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let integrationId = ids.next()
        let webhook = Webhook(id: ids.next(), integrationId: integrationId, target: "http://127.0.0.1:9/", triggers: [.conversationMessage], secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
        let quiet = Webhook(id: ids.next(), integrationId: integrationId, target: "http://127.0.0.1:9/", triggers: [.userRemove], secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
        try await store.insertIntegration(
            Integration(id: integrationId, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook, quiet]))
        let now = Timestamp.now()
        let conversation = try await store.insertConversation(
            Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: now, createdAt: now), participants: [], events: { _ in [] })
        return Fixture(store: store, app: app, webhook: webhook, quiet: quiet, conversation: conversation)
    }

    /// Appends a message with its event; returns the event's id.
    func post(_ fixture: Fixture, at millis: Int64 = 1_700_000_000_000) async throws -> ResourceID {
        let eventId = ids.next()
        let message = Message(
            id: ids.next(), conversationId: fixture.conversation.id, received: Timestamp(millisecondsSince1970: millis),
            author: MessageAuthor(type: .business), content: .object(["type": .string("text"), "text": .string("hi")]), source: .api)
        let appId = fixture.app.id
        _ = try await fixture.store.appendMessage(message, limit: 1000) { message, conversation in
            [OutboxEvent(
                id: eventId, appId: appId, type: .conversationMessage, conversationId: message.conversationId,
                createdAt: Timestamp(millisecondsSince1970: millis), payload: .message(message, conversation, user: nil))]
        }
        return eventId
    }

    static let later = Timestamp(millisecondsSince1970: 1 << 50)

    @Test("Events fan out to subscribed webhooks only and come out in commit order", arguments: StoreFactory.all)
    func fanOut(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        var posted: [ResourceID] = []
        for index in 0..<5 { posted.append(try await post(fixture, at: 1_700_000_000_000 + Int64(index))) }
        let batches = try await fixture.store.dueBatches(now: Self.later, batchSize: 3, limit: 10)
        #expect(batches.map(\.webhook.id) == [fixture.webhook.id])
        let batch = try #require(batches.first)
        #expect(batch.events.map(\.id) == Array(posted[0..<3]))
        #expect(batch.appId == fixture.app.id && batch.attempts == 0)
        #expect(batch.events.allSatisfy { $0.type == .conversationMessage && $0.conversationId == fixture.conversation.id })
        #expect(try await fixture.store.deliveries(webhookId: fixture.quiet.id, limit: 10).isEmpty)
        #expect(try await fixture.store.deliveries(webhookId: fixture.webhook.id, limit: 10).map(\.eventId) == posted.reversed())
    }

    @Test("A delivered batch makes the next one due; a retry waits for its time; dead ends it", arguments: StoreFactory.all)
    func outcomes(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        var posted: [ResourceID] = []
        for _ in 0..<4 { posted.append(try await post(fixture)) }
        let now = Timestamp(millisecondsSince1970: 1_800_000_000_000)
        let first = try #require(try await fixture.store.dueBatches(now: now, batchSize: 2, limit: 10).first)
        try await fixture.store.recordAttempt(first, outcome: DeliveryOutcome(state: .delivered, at: now, statusCode: 200))
        let second = try #require(try await fixture.store.dueBatches(now: now, batchSize: 2, limit: 10).first)
        #expect(second.events.map(\.id) == Array(posted[2..<4]))
        let retryAt = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 30_000)
        try await fixture.store.recordAttempt(
            second, outcome: DeliveryOutcome(state: .pending, at: now, statusCode: 500, error: "HTTP 500", nextAttemptAt: retryAt))
        #expect(try await fixture.store.dueBatches(now: now, batchSize: 2, limit: 10).isEmpty)
        let retried = try #require(try await fixture.store.dueBatches(now: retryAt, batchSize: 2, limit: 10).first)
        #expect(retried.attempts == 1 && retried.events.map(\.id) == Array(posted[2..<4]))
        try await fixture.store.recordAttempt(retried, outcome: DeliveryOutcome(state: .dead, at: retryAt, statusCode: 500))
        #expect(try await fixture.store.dueBatches(now: Self.later, batchSize: 2, limit: 10).isEmpty)
        let records = try await fixture.store.deliveries(webhookId: fixture.webhook.id, limit: 10)
        #expect(records.map(\.state) == [.dead, .dead, .delivered, .delivered])
        #expect(records.first?.attempts == 2 && records.first?.lastStatusCode == 500 && records.first?.nextAttemptAt == nil)

        #expect(try await fixture.store.redeliver(webhookId: fixture.webhook.id, eventId: posted[3], since: nil, now: retryAt) == 1)
        let again = try #require(try await fixture.store.dueBatches(now: retryAt, batchSize: 10, limit: 10).first)
        #expect(again.events.map(\.id) == [posted[3]] && again.attempts == 0)
    }

    @Test("Deleting the app deletes its events and deliveries", arguments: StoreFactory.all)
    func cascade(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        _ = try await post(fixture)
        #expect(try await fixture.store.deleteApp(id: fixture.app.id))
        #expect(try await fixture.store.dueBatches(now: Self.later, batchSize: 10, limit: 10).isEmpty)
        #expect(try await fixture.store.deliveries(webhookId: fixture.webhook.id, limit: 10).isEmpty)
    }
}

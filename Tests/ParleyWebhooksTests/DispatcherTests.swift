import Foundation
import Logging
import ParleyDomain
import ParleySQLite
import ParleyTestSupport
import ParleyWebhooks
import Synchronization
import Testing

/// The dispatcher over a real SQLite outbox, with a scripted receiver and a hand-moved clock.
@Suite("Webhook dispatcher")
struct DispatcherTests {
    final class Receiver: WebhookTransport {
        let script: Mutex<[Int]>
        let received = Mutex<[(attempt: String, eventIds: [String])]>([])

        init(answers: [Int]) { script = Mutex(answers) }

        func send(_ request: WebhookRequest, timeoutSeconds: Double) async throws -> Int {
            let json = try JSONSerialization.jsonObject(with: request.body) as! [String: Any]
            let ids = (json["events"] as! [[String: Any]]).map { $0["id"] as! String }
            let delivery = Dictionary(uniqueKeysWithValues: request.headers)["X-Parley-Delivery"]!
            received.withLock { $0.append((delivery, ids)) }
            let answer = script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            if answer == 0 { throw URLError(.timedOut) }
            return answer
        }
    }

    final class Clock: Sendable {
        let millis = Mutex<Int64>(Timestamp.now().millisecondsSince1970)
        func now() -> Timestamp { Timestamp(millisecondsSince1970: millis.withLock { $0 }) }
        func advance(seconds: Int64) { millis.withLock { $0 += seconds * 1000 } }
    }

    /// The test webhooks' "sealed" secrets are their plain bytes.
    static let openSecret: @Sendable (Webhook) throws -> String = { String(decoding: $0.secret.sealed, as: UTF8.self) }

    struct Setup {
        let store: SQLiteStore
        let app: App
        let webhook: Webhook
        let conversation: Conversation
        let ids = ResourceIDGenerator()
    }

    func setup(triggers: [EventType] = [.conversationMessage]) async throws -> Setup {
        let store = try SQLiteStore(path: Scratch.file("dispatch.sqlite"))
        try await store.migrate()
        let ids = ResourceIDGenerator()
        let app = App(id: ids.next(), displayName: "A")
        try await store.insertApp(app)
        let integrationId = ids.next()
        let webhook = Webhook(id: ids.next(), integrationId: integrationId, target: "http://127.0.0.1:9/", triggers: triggers, secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
        try await store.insertIntegration(Integration(id: integrationId, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook]))
        let now = Timestamp.now()
        let conversation = try await store.insertConversation(
            Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: now, createdAt: now), participants: [], events: { _ in [] })
        return Setup(store: store, app: app, webhook: webhook, conversation: conversation)
    }

    /// Posts `count` messages, each with its conversation:message event; returns the event ids.
    func post(_ setup: Setup, count: Int) async throws -> [String] {
        let factory = EventFactory(ids: setup.ids)
        var eventIds: [String] = []
        for _ in 0..<count {
            let message = Message(
                id: setup.ids.next(), conversationId: setup.conversation.id, received: .now(), author: MessageAuthor(type: .business),
                content: .object(["type": .string("text"), "text": .string("x")]), source: .api)
            let box = Mutex<String>("")
            _ = try await setup.store.appendMessage(message, limit: 1000) { stored, conversation in
                let event = factory.messagePosted(stored, conversation: conversation, user: nil)
                box.withLock { $0 = event.id.rawValue }
                return [event]
            }
            eventIds.append(box.withLock { $0 })
        }
        return eventIds
    }

    func dispatcher(_ setup: Setup, clock: Clock, policy: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 10)) -> WebhookDispatcher {
        WebhookDispatcher(
            store: setup.store, openSecret: Self.openSecret, policy: policy, batchSize: 2, logger: .silent, now: { clock.now() }, jitter: { 1 })
    }

    @Test("Only subscribed triggers are queued; batches go out oldest first")
    func batching() async throws {
        let setup = try await setup()
        let eventIds = try await post(setup, count: 5)
        let otherWebhookTriggers = try await self.setup(triggers: [.userRemove])
        _ = try await post(otherWebhookTriggers, count: 2)
        #expect(try await otherWebhookTriggers.store.dueBatches(now: .now(), batchSize: 10, limit: 10).isEmpty)

        let clock = Clock()
        clock.advance(seconds: 3600)
        let receiver = Receiver(answers: [])
        let dispatcher = dispatcher(setup, clock: clock)
        while try await dispatcher.deliverDue(using: receiver) > 0 {}
        let received = receiver.received.withLock { $0 }
        #expect(received.map(\.eventIds.count) == [2, 2, 1])
        #expect(received.flatMap(\.eventIds) == eventIds)
        let records = try await setup.store.deliveries(webhookId: setup.webhook.id, limit: 10)
        #expect(records.allSatisfy { $0.state == .delivered && $0.attempts == 1 && $0.lastStatusCode == 200 })
    }

    @Test("A failing receiver is retried on schedule with the same event ids, and nothing overtakes the failed batch")
    func retries() async throws {
        let setup = try await setup()
        let eventIds = try await post(setup, count: 3)
        let clock = Clock()
        clock.advance(seconds: 3600)
        let receiver = Receiver(answers: [500, 0])  // a 500, then a timeout, then 200s
        let dispatcher = dispatcher(setup, clock: clock)

        #expect(try await dispatcher.deliverDue(using: receiver) == 1)
        #expect(try await dispatcher.deliverDue(using: receiver) == 0)  // not due for 10 s
        clock.advance(seconds: 9)
        #expect(try await dispatcher.deliverDue(using: receiver) == 0)
        clock.advance(seconds: 1)
        #expect(try await dispatcher.deliverDue(using: receiver) == 1)  // the timeout
        clock.advance(seconds: 19)
        #expect(try await dispatcher.deliverDue(using: receiver) == 0)  // 2nd delay is 20 s
        clock.advance(seconds: 1)
        while try await dispatcher.deliverDue(using: receiver) > 0 {}

        let received = receiver.received.withLock { $0 }
        #expect(received.map(\.eventIds) == [Array(eventIds[0..<2]), Array(eventIds[0..<2]), Array(eventIds[0..<2]), [eventIds[2]]])
        // Every attempt is a delivery of its own: a new 24-hex id each time.
        let deliveryIds = received.map(\.attempt)
        #expect(Set(deliveryIds).count == deliveryIds.count)
        #expect(deliveryIds.allSatisfy { ResourceID($0) != nil })
        let records = try await setup.store.deliveries(webhookId: setup.webhook.id, limit: 10)
        #expect(records.map(\.state) == [.delivered, .delivered, .delivered])
        #expect(records.last?.attempts == 3)
    }

    @Test("A no-retry answer dead-letters the batch at once and later events still flow; redelivery revives it")
    func deadLetter() async throws {
        let setup = try await setup()
        let eventIds = try await post(setup, count: 3)
        let clock = Clock()
        clock.advance(seconds: 3600)
        let receiver = Receiver(answers: [404])
        let dispatcher = dispatcher(setup, clock: clock)
        while try await dispatcher.deliverDue(using: receiver) > 0 {}
        var records = try await setup.store.deliveries(webhookId: setup.webhook.id, limit: 10)
        #expect(records.map(\.state) == [.delivered, .dead, .dead])
        #expect(records.last?.lastStatusCode == 404)

        #expect(try await setup.store.redeliver(webhookId: setup.webhook.id, eventId: ResourceID(eventIds[0])!, since: nil, now: clock.now()) == 1)
        while try await dispatcher.deliverDue(using: receiver) > 0 {}
        records = try await setup.store.deliveries(webhookId: setup.webhook.id, limit: 10)
        #expect(records.map(\.state) == [.delivered, .dead, .delivered])
        let received = receiver.received.withLock { $0 }
        #expect(received.last?.eventIds == [eventIds[0]])
        // The redelivery's attempt has an id of its own, not the first attempt's again.
        #expect(received.dropLast().allSatisfy { $0.attempt != received.last?.attempt })
    }

    @Test("After the last attempt the batch is dead; 5 attempts by default")
    func exhausted() async throws {
        let setup = try await setup()
        _ = try await post(setup, count: 1)
        let clock = Clock()
        clock.advance(seconds: 3600)
        let receiver = Receiver(answers: [503, 503, 503, 503, 503, 503])
        let dispatcher = WebhookDispatcher(store: setup.store, openSecret: Self.openSecret, logger: .silent, now: { clock.now() }, jitter: { 1 })
        for _ in 0..<10 {
            _ = try await dispatcher.deliverDue(using: receiver)
            clock.advance(seconds: 600)
        }
        #expect(receiver.received.withLock { $0.count } == 5)
        #expect(try await setup.store.deliveries(webhookId: setup.webhook.id, limit: 1).first?.state == .dead)
    }
}

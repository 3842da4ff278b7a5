import Foundation
import ParleyDomain
import Synchronization
import Testing

/// What the web messenger, the inbox and realtime read from a store, on every engine: events
/// numbered per conversation in commit order, the feed that tells of commits, devices found by
/// their guid, and the inbox's list.
@Suite("Store conformance: realtime, devices, inbox")
struct RealtimeStoreConformanceTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        let user: User
        let integration: Integration
        let conversation: Conversation
    }

    func fixture(_ factory: StoreFactory) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let user = User(id: ids.next(), appId: app.id, externalId: "ada", signedUpAt: .now(), profile: Profile(givenName: "Ada", surname: "Lovelace"))
        try await store.insertUser(user)
        let integration = Integration(id: ids.next(), appId: app.id, type: "web", settings: [:], secrets: nil)
        try await store.insertIntegration(integration)
        let conversation = try await conversation(store, app: app, user: user)
        return Fixture(store: store, app: app, user: user, integration: integration, conversation: conversation)
    }

    func conversation(_ store: any ParleyStore, app: App, user: User?) async throws -> Conversation {
        let now = Timestamp.now()
        let id = ids.next()
        return try await store.insertConversation(
            Conversation(id: id, appId: app.id, type: .personal, lastUpdatedAt: now, createdAt: now),
            participants: user.map { [Participant(id: ids.next(), conversationId: id, userId: $0.id)] } ?? [], events: { _ in [] })
    }

    /// Appends a message (from the user or the business) with its `conversation:message` event.
    @discardableResult
    func post(_ store: any ParleyStore, _ conversation: Conversation, _ text: String, from user: User? = nil, at millis: Int64? = nil) async throws -> Message {
        let author = user.map { MessageAuthor(type: .user, userId: $0.id.rawValue) } ?? MessageAuthor(type: .business)
        let received = millis.map(Timestamp.init(millisecondsSince1970:)) ?? .now()
        let message = Message(
            id: ids.next(), conversationId: conversation.id, received: received, author: author,
            content: .object(["type": .string("text"), "text": .string(text)]), source: .api)
        let ids = self.ids
        return try #require(try await store.appendMessage(message, limit: 1000) { message, conversation in
            [OutboxEvent(
                id: ids.next(), appId: conversation.appId, type: .conversationMessage, conversationId: message.conversationId,
                createdAt: received, payload: .message(message, conversation, user: nil))]
        })
    }

    @Test("A conversation's events are numbered 1, 2, 3 … and read back from any number", arguments: StoreFactory.all)
    func numbering(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let other = try await conversation(fixture.store, app: fixture.app, user: nil)
        #expect(try await fixture.store.latestConversationSeq(conversationId: fixture.conversation.id) == 0)
        for index in 1...5 {
            try await post(fixture.store, fixture.conversation, "m\(index)")
            try await post(fixture.store, other, "o\(index)")
        }
        // An event outside conversations takes no number and does not disturb them.
        try await fixture.store.recordEvents([OutboxEvent(
            id: ids.next(), appId: fixture.app.id, type: .userRemove, conversationId: nil, createdAt: .now(), payload: .userRemoved(fixture.user))])
        #expect(try await fixture.store.latestConversationSeq(conversationId: fixture.conversation.id) == 5)
        let all = try await fixture.store.conversationEvents(conversationId: fixture.conversation.id, after: 0, limit: 100)
        #expect(all.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(all.allSatisfy { $0.event.conversationId == fixture.conversation.id && $0.event.type == .conversationMessage })
        let tail = try await fixture.store.conversationEvents(conversationId: fixture.conversation.id, after: 3, limit: 100)
        #expect(tail.map(\.seq) == [4, 5])
        #expect(tail.map(\.event.id) == Array(all[3...].map(\.event.id)))
        let page = try await fixture.store.conversationEvents(conversationId: fixture.conversation.id, after: 1, limit: 2)
        #expect(page.map(\.seq) == [2, 3])
        #expect(try await fixture.store.conversationEvents(conversationId: other.id, after: 0, limit: 100).map(\.seq) == [1, 2, 3, 4, 5])
    }

    @Test("Concurrent posts to one conversation get distinct numbers in commit order", arguments: StoreFactory.all)
    func concurrentNumbering(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { try await post(fixture.store, fixture.conversation, "c\(index)") }
            }
            try await group.waitForAll()
        }
        let events = try await fixture.store.conversationEvents(conversationId: fixture.conversation.id, after: 0, limit: 100)
        #expect(events.map(\.seq) == Array(1...20))
        // Numbers follow the outbox's order, which is commit order.
        let batches = try await fixture.store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 100, limit: 10)
        #expect(batches.isEmpty, "no webhook subscribed")
    }

    @Test("The feed tells of events committed after it starts", arguments: StoreFactory.all)
    func feed(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        try await post(fixture.store, fixture.conversation, "before")
        let updates = fixture.store.eventFeed.updates()
        let seen = Mutex<[EventNotice]>([])
        let reader = Task {
            for await update in updates {
                if case .notices(let notices) = update { seen.withLock { $0 += notices } }
            }
        }
        defer { reader.cancel() }
        // The feed listens once it has started: post until two notices have come.
        for index in 0..<100 where seen.withLock({ $0.count }) < 2 {
            try await post(fixture.store, fixture.conversation, "after \(index)")
            try await Task.sleep(for: .milliseconds(50))
        }
        let notices = seen.withLock { $0 }
        #expect(notices.count >= 2)
        #expect(notices.allSatisfy { $0.conversationId == fixture.conversation.id && $0.appId == fixture.app.id && $0.type == .conversationMessage })
        #expect(notices.map(\.seq) == notices.map(\.seq).sorted())
        #expect(notices.allSatisfy { $0.seq > 1 }, "the event committed before the feed started is not told")
    }

    @Test("Devices are found by integration and guid, move between clients, and list by user", arguments: StoreFactory.all)
    func devices(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let now = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        func sdkClient(for user: User) async throws -> Client {
            let client = Client(
                id: ids.next(), appId: fixture.app.id, userId: user.id, type: Client.sdkType, status: .active, integrationId: fixture.integration.id,
                externalId: user.id.rawValue, conversationId: nil, primary: false)
            try await fixture.store.insertClient(client, job: nil, participant: nil, events: [])
            return client
        }
        let client = try await sdkClient(for: fixture.user)
        let saved = try await fixture.store.saveDevice(Device(
            id: ids.next(), clientId: client.id, integrationId: fixture.integration.id, guid: "guid-1", type: .web,
            info: .object(["browserLanguage": .string("en")]), lastSeen: now))
        #expect(saved.guid == "guid-1" && saved.clientId == client.id && saved.info == .object(["browserLanguage": .string("en")]))
        #expect(try await fixture.store.device(id: saved.id) == saved)
        #expect(try await fixture.store.devices(userId: fixture.user.id) == [saved])

        // The same browser signs in as another user: the device moves, keeping its id.
        let other = User(id: ids.next(), appId: fixture.app.id, externalId: "grace", signedUpAt: now)
        try await fixture.store.insertUser(other)
        let otherClient = try await sdkClient(for: other)
        let moved = try await fixture.store.saveDevice(Device(
            id: ids.next(), clientId: otherClient.id, integrationId: fixture.integration.id, guid: "guid-1", type: .web, info: nil,
            lastSeen: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 1000)))
        #expect(moved.id == saved.id && moved.clientId == otherClient.id && moved.info == nil)
        #expect(try await fixture.store.devices(userId: fixture.user.id).isEmpty)
        #expect(try await fixture.store.devices(userId: other.id).map(\.id) == [saved.id])
        // Deleting the client deletes its devices.
        #expect(try await fixture.store.deleteClient(id: otherClient.id, events: { _ in [] }))
        #expect(try await fixture.store.device(id: saved.id) == nil)
        #expect(try await fixture.store.integrationAppId(id: fixture.integration.id) == fixture.app.id)
        #expect(try await fixture.store.integrationAppId(id: ids.next()) == nil)
    }

    @Test("The inbox lists conversations by last activity with unread counts and finds users by name", arguments: StoreFactory.all)
    func inbox(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let quiet = try await conversation(fixture.store, app: fixture.app, user: nil)
        try await post(fixture.store, quiet, "nobody reads this", at: 1_700_000_000_000)
        try await post(fixture.store, fixture.conversation, "hello", from: fixture.user, at: 1_700_000_001_000)
        try await post(fixture.store, fixture.conversation, "are you there?", from: fixture.user, at: 1_700_000_002_000)
        try await post(fixture.store, fixture.conversation, "yes", at: 1_700_000_003_000)

        var entries = try await fixture.store.inboxConversations(appId: fixture.app.id, search: nil, offset: 0, limit: 10)
        #expect(entries.map(\.conversation.id) == [fixture.conversation.id, quiet.id], "most recently active first")
        #expect(entries.first?.unreadCount == 2, "the user's two messages")
        #expect(entries.first?.userId == fixture.user.id)
        #expect(entries.first?.lastMessage?.content == .object(["type": .string("text"), "text": .string("yes")]))
        #expect(entries.last?.unreadCount == 0 && entries.last?.userId == nil)

        try await fixture.store.markBusinessRead(conversationId: fixture.conversation.id, at: Timestamp(millisecondsSince1970: 1_700_000_001_500), events: [])
        entries = try await fixture.store.inboxConversations(appId: fixture.app.id, search: nil, offset: 0, limit: 10)
        #expect(entries.first?.unreadCount == 1, "only the message after the business read")

        #expect(try await fixture.store.inboxConversations(appId: fixture.app.id, search: "lovelace", offset: 0, limit: 10).map(\.conversation.id)
            == [fixture.conversation.id])
        #expect(try await fixture.store.inboxConversations(appId: fixture.app.id, search: "ADA", offset: 0, limit: 10).count == 1)
        #expect(try await fixture.store.inboxConversations(appId: fixture.app.id, search: "%", offset: 0, limit: 10).isEmpty, "% matches itself")
        #expect(try await fixture.store.inboxConversations(appId: fixture.app.id, search: nil, offset: 1, limit: 10).map(\.conversation.id) == [quiet.id])
        let otherApp = App(id: ids.next(), displayName: "Other")
        try await fixture.store.insertApp(otherApp)
        #expect(try await fixture.store.inboxConversations(appId: otherApp.id, search: nil, offset: 0, limit: 10).isEmpty)
    }
}

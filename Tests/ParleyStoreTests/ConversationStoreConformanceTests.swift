import Foundation
import ParleyDomain
import Synchronization
import Testing

/// Conversations, participants and messages: the part of the store contract the write path relies on.
@Suite("Store conformance: conversations and messages")
struct ConversationStoreConformanceTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        let users: [User]
    }

    func fixture(_ factory: StoreFactory, users count: Int = 2) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        var users: [User] = []
        for index in 0..<count {
            let user = User(id: ids.next(), appId: app.id, externalId: "u\(index)", signedUpAt: .now())
            try await store.insertUser(user)
            users.append(user)
        }
        return Fixture(store: store, app: app, users: users)
    }

    func conversation(_ fixture: Fixture, _ type: ConversationType, users: [User]) async throws -> Conversation {
        let now = Timestamp.now()
        let conversation = Conversation(id: ids.next(), appId: fixture.app.id, type: type, lastUpdatedAt: now, createdAt: now)
        return try await fixture.store.insertConversation(
            conversation, participants: users.map { Participant(id: ids.next(), conversationId: conversation.id, userId: $0.id) },
            events: { _ in [] })
    }

    func message(_ conversation: Conversation, author: User? = nil, at millis: Int64 = 1_700_000_000_000) -> Message {
        Message(
            id: ids.next(), conversationId: conversation.id, received: Timestamp(millisecondsSince1970: millis),
            author: author.map { MessageAuthor(type: .user, userId: $0.id.rawValue) } ?? MessageAuthor(type: .business),
            content: .object(["type": .string("text"), "text": .string("hi")]), source: .api)
    }

    @Test("Only a user's first personal conversation is the default", arguments: StoreFactory.all)
    func defaultConversation(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        #expect(try await conversation(fixture, .personal, users: [fixture.users[0]]).isDefault)
        #expect(try await conversation(fixture, .personal, users: [fixture.users[0]]).isDefault == false)
        #expect(try await conversation(fixture, .sdkGroup, users: fixture.users).isDefault == false)
        #expect(try await conversation(fixture, .personal, users: [fixture.users[1]]).isDefault)
    }

    @Test("Appending a message updates counts, unread and read state in one go", arguments: StoreFactory.all)
    func append(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (alice, bob) = (fixture.users[0], fixture.users[1])
        let group = try await conversation(fixture, .sdkGroup, users: fixture.users)
        _ = try await fixture.store.appendMessage(message(group), limit: 10, events: { _, _ in [] })
        let fromAlice = try #require(try await fixture.store.appendMessage(message(group, author: alice, at: 1_700_000_000_500), limit: 10, events: { _, _ in [] }))
        let aliceState = try #require(try await fixture.store.participant(conversationId: group.id, userId: alice.id))
        let bobState = try #require(try await fixture.store.participant(conversationId: group.id, userId: bob.id))
        #expect(aliceState.unreadCount == 0)
        #expect(aliceState.lastRead == fromAlice.received)
        #expect(bobState.unreadCount == 2)
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: group.id)?.lastUpdatedAt == fromAlice.received)

        try await fixture.store.markRead(conversationId: group.id, userId: bob.id, at: Timestamp(millisecondsSince1970: 5), events: [])
        #expect(try await fixture.store.participant(conversationId: group.id, userId: bob.id)?.unreadCount == 0)
        try await fixture.store.markBusinessRead(conversationId: group.id, at: Timestamp(millisecondsSince1970: 7), events: [])
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: group.id)?.businessLastRead == Timestamp(millisecondsSince1970: 7))
        #expect(try await fixture.store.appendMessage(message(Conversation(
            id: ids.next(), appId: fixture.app.id, type: .sdkGroup, lastUpdatedAt: .now(), createdAt: .now())), limit: 10, events: { _, _ in [] }) == nil)
    }

    @Test("A message's events are made from the conversation as its write leaves it", arguments: StoreFactory.all)
    func eventsSeeTheWrittenConversation(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let group = try await conversation(fixture, .sdkGroup, users: fixture.users)
        // Changed after the caller last read it: the events must not see the caller's copy.
        _ = try await fixture.store.updateConversation(appId: fixture.app.id, id: group.id) { $0.metadata = try Metadata.validated(["v": .integer(2)]) }
        let seen = Mutex<Conversation?>(nil)
        let posted = message(group, at: 1_700_000_000_900)
        _ = try await fixture.store.appendMessage(posted, limit: 10) { _, conversation in
            seen.withLock { $0 = conversation }
            return []
        }
        let written = try #require(seen.withLock { $0 })
        #expect(written.id == group.id && written.appId == fixture.app.id && written.type == .sdkGroup)
        #expect(written.metadata == (try Metadata.validated(["v": .integer(2)])))
        #expect(written.lastUpdatedAt == posted.received)
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: group.id) == written)
    }

    @Test("The message cap is exact and deleting frees it", arguments: StoreFactory.all)
    func cap(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let personal = try await conversation(fixture, .personal, users: [fixture.users[0]])
        var stored: [Message] = []
        for _ in 0..<3 { stored.append(try #require(try await fixture.store.appendMessage(message(personal), limit: 3, events: { _, _ in [] }))) }
        await #expect(throws: ParleyError(kind: .locked, code: "locked", title: "Message limit of 3 per conversation reached.")) {
            _ = try await fixture.store.appendMessage(message(personal), limit: 3, events: { _, _ in [] })
        }
        #expect(try await fixture.store.deleteMessage(conversationId: personal.id, id: stored[0].id))
        #expect(try await fixture.store.deleteMessage(conversationId: personal.id, id: stored[0].id) == false)
        _ = try await fixture.store.appendMessage(message(personal), limit: 3, events: { _, _ in [] })
        try await fixture.store.deleteAllMessages(conversationId: personal.id)
        #expect(try await fixture.store.messages(conversationId: personal.id, page: PageRequest(size: 100)).items.isEmpty)
        for _ in 0..<3 { _ = try await fixture.store.appendMessage(message(personal), limit: 3, events: { _, _ in [] }) }
    }

    @Test("Messages page newest first by default, in time order within a page", arguments: StoreFactory.all)
    func messagePaging(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let personal = try await conversation(fixture, .personal, users: [fixture.users[0]])
        var all: [ResourceID] = []
        for _ in 0..<25 { all.append(try #require(try await fixture.store.appendMessage(message(personal), limit: 100, events: { _, _ in [] })).id) }
        let newest = try await fixture.store.messages(conversationId: personal.id, page: PageRequest(size: 10))
        #expect(newest.items.map(\.id) == Array(all[15..<25]))
        #expect(newest.hasPrevious && !newest.hasNext)
        let older = try await fixture.store.messages(conversationId: personal.id, page: PageRequest(cursor: .before(all[15]), size: 10))
        #expect(older.items.map(\.id) == Array(all[5..<15]))
        #expect(older.items.first?.content == .object(["type": .string("text"), "text": .string("hi")]))
    }

    @Test("Participants: duplicates 409, limit 400, removal by user, external id or participant id", arguments: StoreFactory.all)
    func participants(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory, users: 4)
        let group = try await conversation(fixture, .sdkGroup, users: Array(fixture.users[0..<2]))
        await #expect(throws: ParleyError.self) {
            try await fixture.store.insertParticipant(Participant(id: self.ids.next(), conversationId: group.id, userId: fixture.users[0].id), limit: 10, events: [])
        }
        try await fixture.store.insertParticipant(Participant(id: ids.next(), conversationId: group.id, userId: fixture.users[2].id), limit: 3, events: [])
        await #expect(throws: ParleyError.self) {
            try await fixture.store.insertParticipant(Participant(id: self.ids.next(), conversationId: group.id, userId: fixture.users[3].id), limit: 3, events: [])
        }
        let listed = try await fixture.store.participants(conversationId: group.id, page: PageRequest(size: 10))
        #expect(listed.items.map(\.userExternalId) == ["u0", "u1", "u2"])
        #expect(try await fixture.store.deleteParticipant(conversationId: group.id, appId: fixture.app.id, .userExternalId("u0"), events: { _ in [] }))
        #expect(try await fixture.store.deleteParticipant(conversationId: group.id, appId: fixture.app.id, .userId(fixture.users[1].id.rawValue), events: { _ in [] }))
        #expect(try await fixture.store.deleteParticipant(conversationId: group.id, appId: fixture.app.id, .participantId(listed.items[2].id.rawValue), events: { _ in [] }))
        #expect(try await fixture.store.deleteParticipant(conversationId: group.id, appId: fixture.app.id, .userExternalId("u0"), events: { _ in [] }) == false)
    }

    @Test("Deleting a user or a conversation removes what hangs off it", arguments: StoreFactory.all)
    func cascades(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let group = try await conversation(fixture, .sdkGroup, users: fixture.users)
        _ = try await fixture.store.appendMessage(message(group), limit: 10, events: { _, _ in [] })
        _ = try await fixture.store.deleteUser(UserLookup(appId: fixture.app.id, idOrExternalId: "u0"), events: { _ in [] })
        #expect(try await fixture.store.participants(conversationId: group.id, page: PageRequest()).items.map(\.userExternalId) == ["u1"])
        #expect(try await fixture.store.conversations(appId: fixture.app.id, userId: fixture.users[1].id, page: PageRequest()).items.map(\.id) == [group.id])
        #expect(try await fixture.store.deleteConversation(appId: fixture.app.id, id: group.id, events: []))
        #expect(try await fixture.store.messages(conversationId: group.id, page: PageRequest()).items.isEmpty)
        #expect(try await fixture.store.participants(conversationId: group.id, page: PageRequest()).items.isEmpty)
    }
}

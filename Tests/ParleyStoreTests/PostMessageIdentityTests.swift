import Foundation
import ParleyDomain
import Testing

/// PostMessage finds its conversation through a remembered identity (`ConversationIdentities`) and
/// reads everything else in its write: what a user sees must not change because of that.
@Suite("PostMessage and remembered conversations")
struct PostMessageIdentityTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        let user: User
        let conversations: ConversationService
        let messages: MessageService
    }

    func fixture(_ factory: StoreFactory) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let user = User(id: ids.next(), appId: app.id, externalId: "steve", signedUpAt: .now())
        try await store.insertUser(user)
        let conversations = ConversationService(store: store, ids: ids)
        return Fixture(
            store: store, app: app, user: user, conversations: conversations,
            messages: MessageService(store: store, conversations: conversations, ids: ids))
    }

    func group(_ fixture: Fixture) async throws -> Conversation {
        var draft = ConversationDraft()
        draft.type = .sdkGroup
        draft.participants = [.userId(fixture.user.id.rawValue)]
        return try await fixture.conversations.create(appId: fixture.app.id, draft)
    }

    /// A conversation the service remembers: one business message posted to it.
    func remembered(_ fixture: Fixture) async throws -> Conversation {
        let conversation = try await group(fixture)
        _ = try await fixture.messages.post(appId: fixture.app.id, conversationId: conversation.id.rawValue, Self.business)
        return conversation
    }

    static let text: JSONValue = .object(["type": .string("text"), "text": .string("Hello")])
    static let business = MessageDraft(author: .object(["type": .string("business")]), content: text)

    func notFound(_ body: () async throws -> Void) async -> Bool {
        do {
            try await body()
            return false
        } catch let error as ParleyError {
            return error.kind == .notFound && error.title.contains("Conversation")
        } catch {
            return false
        }
    }

    @Test("A remembered conversation deleted behind the service's back is 404 and forgotten, for business and user authors", arguments: StoreFactory.all)
    func deletedIsNotFound(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (first, second) = (try await remembered(fixture), try await remembered(fixture))
        #expect(fixture.conversations.rememberedIdentities == 2)
        // As another node, or the deletion of the app or user, would: this service is not told.
        for conversation in [first, second] {
            #expect(try await fixture.store.deleteConversation(appId: fixture.app.id, id: conversation.id, events: []))
        }
        #expect(await notFound { _ = try await fixture.messages.post(appId: fixture.app.id, conversationId: first.id.rawValue, Self.business) })
        // A user author is checked for membership before the write: still 404, not "not a participant".
        let fromUser = MessageDraft(author: .object(["type": .string("user"), "userId": .string(fixture.user.id.rawValue)]), content: Self.text)
        #expect(await notFound { _ = try await fixture.messages.post(appId: fixture.app.id, conversationId: second.id.rawValue, fromUser) })
        #expect(fixture.conversations.rememberedIdentities == 0)
    }

    @Test("A remembered conversation is still 404 under another app", arguments: StoreFactory.all)
    func otherApp(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let conversation = try await remembered(fixture)
        let other = App(id: ids.next(), displayName: "Other")
        try await fixture.store.insertApp(other)
        #expect(await notFound { _ = try await fixture.messages.post(appId: other.id, conversationId: conversation.id.rawValue, Self.business) })
        #expect(fixture.conversations.rememberedIdentities == 1)
    }

    @Test("A conversation deleted through the service is forgotten at once", arguments: StoreFactory.all)
    func deleteForgets(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let conversation = try await remembered(fixture)
        #expect(fixture.conversations.rememberedIdentities == 1)
        try await fixture.conversations.delete(appId: fixture.app.id, id: conversation.id.rawValue)
        #expect(fixture.conversations.rememberedIdentities == 0)
    }
}

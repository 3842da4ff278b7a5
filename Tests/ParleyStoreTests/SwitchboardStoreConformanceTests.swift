import Foundation
import ParleyDomain
import Testing

/// Switchboards, who controls a conversation, and how that routes the outbox: the part of the
/// store contract `SwitchboardService` and the event routing rely on.
@Suite("Store conformance: switchboards and control")
struct SwitchboardStoreConformanceTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        /// Custom integrations, each with one webhook subscribed to `conversation:message`.
        let integrations: [Integration]
        let user: User
    }

    func fixture(_ factory: StoreFactory, integrations count: Int = 3) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        var integrations: [Integration] = []
        for _ in 0..<count {
            let id = ids.next()
            let webhook = Webhook(
                id: ids.next(), integrationId: id, target: "http://127.0.0.1:9/", triggers: [.conversationMessage, .switchboardPassControl],
                secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
            let integration = Integration(id: id, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook])
            try await store.insertIntegration(integration)
            integrations.append(integration)
        }
        let user = User(id: ids.next(), appId: app.id, externalId: "u", signedUpAt: .now())
        try await store.insertUser(user)
        return Fixture(store: store, app: app, integrations: integrations, user: user)
    }

    /// A switchboard with one switchboard integration per integration, the first the default;
    /// only the last delivers standby events.
    func setup(_ fixture: Fixture, enabled: Bool = true) -> SwitchboardSetup {
        let switchboard = Switchboard(id: ids.next(), appId: fixture.app.id, createdAt: .now())
        let members = fixture.integrations.enumerated().map { index, integration in
            SwitchboardIntegration(
                id: ids.next(), switchboardId: switchboard.id, name: "n\(index)", integrationId: integration.id, integrationType: "custom",
                deliverStandbyEvents: index == fixture.integrations.count - 1, messageHistoryCount: index == 0 ? 3 : nil, createdAt: .now())
        }
        var setup = SwitchboardSetup(switchboard: switchboard, integrations: members)
        setup.switchboard.enabled = enabled
        setup.switchboard.defaultSwitchboardIntegrationId = members.first?.id
        return setup
    }

    func conversation(_ fixture: Fixture) async throws -> Conversation {
        let now = Timestamp.now()
        let id = ids.next()
        return try await fixture.store.insertConversation(
            Conversation(id: id, appId: fixture.app.id, type: .personal, lastUpdatedAt: now, createdAt: now),
            participants: [Participant(id: ids.next(), conversationId: id, userId: fixture.user.id)], events: { _ in [] })
    }

    /// A message by the user (or the business) with its `conversation:message` event.
    func post(_ fixture: Fixture, _ conversation: Conversation, byUser: Bool) async throws -> Conversation? {
        let message = Message(
            id: ids.next(), conversationId: conversation.id, received: .now(),
            author: byUser ? MessageAuthor(type: .user, userId: fixture.user.id.rawValue) : MessageAuthor(type: .business),
            content: .object(["type": .string("text"), "text": .string("hi")]), source: .api)
        let events = EventFactory(ids: ids)
        let seen = SeenConversation()
        _ = try await fixture.store.appendMessage(message, limit: 1000) { message, conversation in
            seen.value = conversation
            return [events.messagePosted(message, conversation: conversation, user: nil)]
        }
        return seen.value
    }

    final class SeenConversation: @unchecked Sendable {
        var value: Conversation?
    }

    @Test("A switchboard and its integrations are written as the change leaves them, and removed with it", arguments: StoreFactory.all)
    func changes(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        #expect(try await fixture.store.switchboardSetup(appId: fixture.app.id) == nil)
        let made = setup(fixture)
        let returned = try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in
            #expect(current == nil)
            current = made
            return 7
        }
        #expect(returned == 7)
        #expect(try await fixture.store.switchboardSetup(appId: fixture.app.id) == made)

        var changed = made
        changed.switchboard.enabled = false
        changed.integrations[1].name = "renamed"
        changed.integrations[1].nextSwitchboardIntegrationId = made.integrations[2].id
        changed.integrations.remove(at: 2)
        let extra = SwitchboardIntegration(
            id: ids.next(), switchboardId: made.switchboard.id, name: "extra", integrationId: fixture.integrations[2].id, integrationType: "custom",
            createdAt: .now())
        changed.integrations.append(extra)
        let next = changed
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current = next }
        let stored = try #require(try await fixture.store.switchboardSetup(appId: fixture.app.id))
        #expect(stored.switchboard == changed.switchboard)
        #expect(stored.integrations.map(\.name) == ["n0", "renamed", "extra"])
        // A reference to a removed integration reads as none.
        #expect(stored.integrations[1].nextSwitchboardIntegrationId == nil)

        // A change that throws writes nothing.
        await #expect(throws: ParleyError.self) {
            try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in
                current = nil
                throw ParleyError.badRequest("no")
            }
        }
        #expect(try await fixture.store.switchboardSetup(appId: fixture.app.id) != nil)

        // Deleting an integration removes its switchboard integration; the default that named it reads as none.
        #expect(try await fixture.store.deleteIntegration(appId: fixture.app.id, id: fixture.integrations[0].id))
        let afterDelete = try #require(try await fixture.store.switchboardSetup(appId: fixture.app.id))
        #expect(afterDelete.integrations.map(\.name) == ["renamed", "extra"])
        #expect(afterDelete.switchboard.defaultSwitchboardIntegrationId == nil)

        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current = nil }
        #expect(try await fixture.store.switchboardSetup(appId: fixture.app.id) == nil)
    }

    @Test("New conversations and user messages in uncontrolled ones go to the default; business messages and a disabled switchboard change nothing",
          arguments: StoreFactory.all)
    func defaultAssignment(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let before = try await conversation(fixture)
        #expect(before.activeSwitchboardIntegration == nil)
        let made = setup(fixture, enabled: false)
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current = made }
        #expect(try await conversation(fixture).activeSwitchboardIntegration == nil)
        #expect(try await post(fixture, before, byUser: true)?.activeSwitchboardIntegration == nil)

        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current?.switchboard.enabled = true }
        let fresh = try await conversation(fixture)
        #expect(fresh.activeSwitchboardIntegration == made.integrations[0].summary)
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: fresh.id)?.activeSwitchboardIntegration == made.integrations[0].summary)
        // One that existed before: a business message leaves it alone, the user's next message hands it over.
        #expect(try await post(fixture, before, byUser: false)?.activeSwitchboardIntegration == nil)
        #expect(try await post(fixture, before, byUser: true)?.activeSwitchboardIntegration == made.integrations[0].summary)
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: before.id)?.activeSwitchboardIntegration == made.integrations[0].summary)
    }

    @Test("Control changes are written with their events; an unknown conversation is false", arguments: StoreFactory.all)
    func control(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let made = setup(fixture)
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current = made }
        let conversation = try await conversation(fixture)
        for _ in 0..<12 { _ = try await post(fixture, conversation, byUser: true) }
        let events = EventFactory(ids: ids)
        let found = try await fixture.store.changeControl(appId: fixture.app.id, conversationId: conversation.id) { conversation, setup, latest in
            #expect(setup == made)
            #expect(latest.count == 10)
            #expect(latest.map(\.id) == latest.map(\.id).sorted())
            conversation.activeSwitchboardIntegration = made.integrations[1].summary
            conversation.pendingSwitchboardIntegration = made.integrations[2].summary
            return [events.control(.switchboardPassControl, ControlEvent(conversation: conversation, metadata: nil))]
        }
        #expect(found)
        let stored = try #require(try await fixture.store.conversation(appId: fixture.app.id, id: conversation.id))
        #expect(stored.activeSwitchboardIntegration == made.integrations[1].summary)
        #expect(stored.pendingSwitchboardIntegration == made.integrations[2].summary)
        // switchboard:* events reach every subscriber.
        for integration in fixture.integrations {
            #expect(try await fixture.store.deliveries(webhookId: integration.webhooks[0].id, limit: 100).contains { $0.type == .switchboardPassControl })
        }
        #expect(try await fixture.store.changeControl(appId: fixture.app.id, conversationId: ids.next()) { _, _, _ in [] } == false)
        // A throwing decision writes nothing.
        await #expect(throws: ParleyError.self) {
            try await fixture.store.changeControl(appId: fixture.app.id, conversationId: conversation.id) { conversation, _, _ in
                conversation.activeSwitchboardIntegration = nil
                throw ParleyError.forbidden()
            }
        }
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: conversation.id)?.activeSwitchboardIntegration != nil)
        // A controller whose switchboard integration is gone reads as none.
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in
            current?.integrations.remove(at: 1)
        }
        #expect(try await fixture.store.conversation(appId: fixture.app.id, id: conversation.id)?.activeSwitchboardIntegration == nil)
    }

    @Test("An enabled switchboard routes conversation events to the integration in control and standby ones that asked", arguments: StoreFactory.all)
    func routing(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory, integrations: 4)
        // The fourth integration is not on the switchboard.
        let onBoard = Fixture(store: fixture.store, app: fixture.app, integrations: Array(fixture.integrations.prefix(3)), user: fixture.user)
        let made = setup(onBoard)
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current = made }
        let conversation = try await conversation(fixture)
        _ = try await post(fixture, conversation, byUser: true)
        func messages(_ index: Int) async throws -> Int {
            try await fixture.store.deliveries(webhookId: fixture.integrations[index].webhooks[0].id, limit: 100).filter { $0.type == .conversationMessage }.count
        }
        // Active: 0; standby without standby events: 1; standby with: 2; off the switchboard: 3.
        #expect(try await messages(0) == 1)
        #expect(try await messages(1) == 0)
        #expect(try await messages(2) == 1)
        #expect(try await messages(3) == 1)
        try await fixture.store.changeSwitchboard(appId: fixture.app.id) { current in current?.switchboard.enabled = false }
        _ = try await post(fixture, conversation, byUser: true)
        #expect(try await messages(1) == 1)
    }
}

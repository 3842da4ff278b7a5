import Foundation
import ParleyDomain
import ParleyPostgres
import ParleyTestSupport
import ParleyWire
import Testing

/// Several nodes passing control of one conversation at once: each action decides on the state
/// the previous one committed, so the `switchboard:passControl` events, in commit order, are a
/// chain of real changes that ends where the conversation is.
@Suite("PostgreSQL: control passed from several nodes at once", .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL to run"))
struct PostgresControlRaceTests {
    let ids = ResourceIDGenerator()

    @Test("Concurrent PassControl from two nodes: every event a change from the one before, the last one what is stored")
    func concurrentPasses() async throws {
        let url = try PostgresURL(try await PostgresTestDatabase.make())
        let nodes = [try await StoreFactory.startedPostgresStore(url: url), try await StoreFactory.startedPostgresStore(url: url)]
        let store = nodes[0]
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let names = ["bot", "agent", "supervisor"]
        var integrations: [ResourceID] = []
        let webhook = Webhook(
            id: ids.next(), integrationId: ids.next(), target: "http://127.0.0.1:9/", triggers: [.switchboardPassControl],
            secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
        for index in names.indices {
            let id = index == 0 ? webhook.integrationId : ids.next()
            try await store.insertIntegration(
                Integration(id: id, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: index == 0 ? [webhook] : []))
            integrations.append(id)
        }
        let services = nodes.map { SwitchboardService(store: $0, ids: ids) }
        let switchboard = try await services[0].create(appId: app.id)
        var first: ResourceID?
        for (name, integration) in zip(names, integrations) {
            let member = try await services[0].createIntegration(
                appId: app.id, switchboardId: switchboard.id.rawValue, SwitchboardIntegrationDraft(name: name, integrationId: integration.rawValue))
            first = first ?? member.id
        }
        _ = try await services[0].update(
            appId: app.id, id: switchboard.id.rawValue, SwitchboardDraft(enabled: true, defaultSwitchboardIntegrationId: first?.rawValue))
        let now = Timestamp.now()
        let conversation = try await store.insertConversation(
            Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: now, createdAt: now), participants: [], events: { _ in [] })
        #expect(conversation.activeSwitchboardIntegration?.name == "bot")

        // 60 passes, alternating nodes, each to one of the three (often the one already active).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let target = names[(index * 7 + index / 3) % names.count]
                let service = services[index % 2]
                group.addTask {
                    try await service.control(appId: app.id, conversationId: conversation.id.rawValue, .pass(.named(target), metadata: nil), caller: nil)
                }
            }
            try await group.waitForAll()
        }

        let events = try await store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 1000, limit: 10).first?.events ?? []
        let actives: [String] = events.map { event in
            guard case .object(let payload) = event.payload, case .object(let conversation)? = payload["conversation"],
                case .object(let active)? = conversation["activeSwitchboardIntegration"], case .string(let name)? = active["name"]
            else { return "?" }
            return name
        }
        #expect(!actives.isEmpty)
        #expect(!actives.contains("?"))
        // Each event changed who controls the conversation: no two passes decided on the same state.
        #expect(zip(["bot"] + actives, actives).allSatisfy { $0 != $1 }, "\(actives)")
        let stored = try await store.conversation(appId: app.id, id: conversation.id)
        #expect(stored?.activeSwitchboardIntegration?.name == actives.last)
        #expect(stored?.pendingSwitchboardIntegration == nil)
    }
}

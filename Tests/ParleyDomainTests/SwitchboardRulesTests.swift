@testable import ParleyDomain
import Testing

/// The switchboard's rules on values alone: who takes a conversation, who is muted, how targets are
/// named (through `SwitchboardService` the HTTP suite tests the rest).
@Suite("Switchboard rules")
struct SwitchboardRulesTests {
    let ids = ResourceIDGenerator()

    func setup(enabled: Bool = true) -> (SwitchboardSetup, [SwitchboardIntegration]) {
        let switchboard = Switchboard(id: ids.next(), appId: ids.next(), enabled: enabled, createdAt: .now())
        let shared = ids.next()
        let members = [
            SwitchboardIntegration(
                id: ids.next(), switchboardId: switchboard.id, name: "bot", integrationId: ids.next(), integrationType: "custom",
                deliverStandbyEvents: false, createdAt: .now()),
            // Two places for one integration: muted only if neither lets it hear.
            SwitchboardIntegration(
                id: ids.next(), switchboardId: switchboard.id, name: "desk", integrationId: shared, integrationType: "web",
                deliverStandbyEvents: false, createdAt: .now()),
            SwitchboardIntegration(
                id: ids.next(), switchboardId: switchboard.id, name: "desk-night", integrationId: shared, integrationType: "web",
                deliverStandbyEvents: true, createdAt: .now()),
        ]
        var board = switchboard
        board.defaultSwitchboardIntegrationId = members[0].id
        return (SwitchboardSetup(switchboard: board, integrations: members), members)
    }

    @Test("The default takes a conversation nobody controls, or whose controller is gone; a disabled switchboard assigns nobody")
    func controller() {
        let (setup, members) = setup()
        #expect(setup.controller(replacing: nil)?.id == members[0].id)
        #expect(setup.controller(replacing: members[1].id)?.id == members[1].id)
        #expect(setup.controller(replacing: ids.next())?.id == members[0].id)
        #expect(self.setup(enabled: false).0.controller(replacing: nil) == nil)
    }

    @Test("Muted: standby integrations without standby events, per integration; nobody while disabled")
    func muted() {
        let (setup, members) = setup()
        // The bot in control: the shared integration hears through desk-night.
        #expect(setup.mutedIntegrations(active: members[0].id).isEmpty)
        // The desk in control: the bot is muted.
        #expect(setup.mutedIntegrations(active: members[1].id) == [members[0].integrationId])
        #expect(setup.mutedIntegrations(active: nil) == [members[0].integrationId])
        #expect(self.setup(enabled: false).0.mutedIntegrations(active: nil).isEmpty)
    }

    @Test("References to integrations no longer on the switchboard read as none")
    func dangling() {
        let (setup, members) = setup()
        var switchboard = setup.switchboard
        switchboard.defaultSwitchboardIntegrationId = ids.next()
        var bot = members[0]
        bot.nextSwitchboardIntegrationId = ids.next()
        let read = SwitchboardSetup(switchboard: switchboard, integrations: [bot])
        #expect(read.switchboard.defaultSwitchboardIntegrationId == nil)
        #expect(read.integrations[0].nextSwitchboardIntegrationId == nil)
    }

    @Test("Only conversation events are routed")
    func routedTriggers() {
        let routed = EventType.allCases.filter(\.isRoutedBySwitchboard).map(\.rawValue)
        #expect(routed.allSatisfy { $0.hasPrefix("conversation:") })
        #expect(routed.count == EventType.allCases.filter { $0.rawValue.hasPrefix("conversation:") }.count)
    }

    @Test("Targets: `next`, or an id, a name, an integration type in that order; an ambiguous type fails")
    func targets() throws {
        #expect(SwitchboardTarget("next") == .next)
        #expect(SwitchboardTarget("") == .named(""))
        var (setup, members) = setup()
        // A name that is another's integration type: the name wins.
        setup.integrations[0].name = "custom"
        setup.integrations[0].integrationType = "messenger"
        setup.integrations.append(SwitchboardIntegration(
            id: ids.next(), switchboardId: setup.switchboard.id, name: "only-custom", integrationId: ids.next(), integrationType: "custom",
            createdAt: .now()))
        let now = Timestamp.now()
        let start = Conversation(id: ids.next(), appId: setup.switchboard.appId, type: .personal, lastUpdatedAt: now, createdAt: now)
        func pass(_ text: String) throws -> (Conversation, [OutboxEvent]) {
            var conversation = start
            let events = try SwitchboardControl(
                action: .pass(SwitchboardTarget(text), metadata: nil), caller: nil, setup: setup, latestMessages: [], events: EventFactory(ids: ids)
            ).apply(to: &conversation)
            return (conversation, events)
        }
        #expect(try pass(members[2].id.rawValue).0.activeSwitchboardIntegration?.name == "desk-night")
        #expect(try pass("custom").0.activeSwitchboardIntegration?.name == "custom")
        #expect(try pass("messenger").0.activeSwitchboardIntegration?.name == "custom")
        // `web` is the type of two: ambiguous, a failure event and no change.
        let (unchanged, events) = try pass("web")
        #expect(unchanged.activeSwitchboardIntegration == nil)
        #expect(events.map(\.type) == [.switchboardPassControlFailure])
        guard case .control(let control)? = events.first?.payload else { throw SwitchboardRulesFailure() }
        #expect(control.failure?.code == .invalidTarget)
        #expect(control.failure?.message.contains("Several") == true)
    }

    struct SwitchboardRulesFailure: Error {}
}

/// An app's switchboard with its integrations: what routing a conversation's events needs, read
/// by the stores inside the transaction that records them. The rules live here; the stores only
/// apply what they return.
public struct SwitchboardSetup: Hashable, Sendable {
    public var switchboard: Switchboard
    public var integrations: [SwitchboardIntegration]

    /// References to integrations no longer on the switchboard (removed with their integration)
    /// read as none.
    public init(switchboard: Switchboard, integrations: [SwitchboardIntegration]) {
        let ids = Set(integrations.map(\.id))
        var switchboard = switchboard
        if let id = switchboard.defaultSwitchboardIntegrationId, !ids.contains(id) { switchboard.defaultSwitchboardIntegrationId = nil }
        self.switchboard = switchboard
        self.integrations = integrations.map { integration in
            var integration = integration
            if let next = integration.nextSwitchboardIntegrationId, !ids.contains(next) { integration.nextSwitchboardIntegrationId = nil }
            return integration
        }
    }

    public func integration(_ id: ResourceID?) -> SwitchboardIntegration? {
        guard let id else { return nil }
        return integrations.first { $0.id == id }
    }

    /// The switchboard integration that takes control of a conversation which has none (a new
    /// one, one released, one whose controller was deleted): the default. Nil while the
    /// switchboard is disabled, so enabling it later hands such conversations to the default
    /// then (the spec: "also used for conversations that existed before the switchboard was
    /// enabled").
    public func controller(replacing current: ResourceID?) -> SwitchboardIntegration? {
        guard switchboard.enabled else { return nil }
        if let active = integration(current) { return active }
        return integration(switchboard.defaultSwitchboardIntegrationId)
    }

    /// The integrations whose webhooks do not receive an event of a conversation controlled by
    /// `active` (`EventType.isRoutedBySwitchboard`): those on the enabled switchboard that are
    /// in standby and did not ask for standby events. An integration that is not on the
    /// switchboard is never muted; one on it twice is muted only if neither place lets it hear.
    public func mutedIntegrations(active: ResourceID?) -> Set<ResourceID> {
        guard switchboard.enabled else { return [] }
        let hearing = Set(integrations.filter { $0.id == active || $0.deliverStandbyEvents }.map(\.integrationId))
        return Set(integrations.map(\.integrationId)).subtracting(hearing)
    }

    /// The integrations whose webhooks skip `event`: for an event routed by the switchboard,
    /// those muted while its conversation (as the change left it) is controlled by whom it is.
    public func mutedIntegrations(for event: OutboxEvent) -> Set<ResourceID> {
        guard event.type.isRoutedBySwitchboard, let conversation = event.payload.conversation else { return [] }
        return mutedIntegrations(active: conversation.activeSwitchboardIntegration?.id)
    }
}

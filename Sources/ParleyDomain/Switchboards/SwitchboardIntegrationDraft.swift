/// Create- and UpdateSwitchboardIntegration's bodies, decoded by ParleyWire's
/// `SwitchboardIntegrationBody`: what was given, each field of its kind; `SwitchboardService`
/// judges the rest against the switchboard.
public struct SwitchboardIntegrationDraft: Sendable {
    public var name: String?
    public var integrationId: String?
    public var integrationType: String?
    public var deliverStandbyEvents: Bool?
    public var nextSwitchboardIntegrationId: Patch<String>
    public var messageHistoryCount: Patch<Int>

    public init(
        name: String? = nil, integrationId: String? = nil, integrationType: String? = nil, deliverStandbyEvents: Bool? = nil,
        nextSwitchboardIntegrationId: Patch<String> = .absent, messageHistoryCount: Patch<Int> = .absent
    ) {
        self.name = name
        self.integrationId = integrationId
        self.integrationType = integrationType
        self.deliverStandbyEvents = deliverStandbyEvents
        self.nextSwitchboardIntegrationId = nextSwitchboardIntegrationId
        self.messageHistoryCount = messageHistoryCount
    }
}

import ParleyDomain

/// `switchboardIntegration` as the API shows it.
public struct SwitchboardIntegrationWire: Encodable {
    public var id: String
    public var name: String
    public var integrationId: String
    public var integrationType: String
    public var deliverStandbyEvents: Bool
    public var nextSwitchboardIntegrationId: String?
    public var messageHistoryCount: Int?

    public init(_ integration: SwitchboardIntegration) {
        id = integration.id.rawValue
        name = integration.name
        integrationId = integration.integrationId.rawValue
        integrationType = integration.integrationType
        deliverStandbyEvents = integration.deliverStandbyEvents
        nextSwitchboardIntegrationId = integration.nextSwitchboardIntegrationId?.rawValue
        messageHistoryCount = integration.messageHistoryCount
    }
}

public struct SwitchboardIntegrationEnvelope: Encodable {
    public var switchboardIntegration: SwitchboardIntegrationWire

    public init(_ integration: SwitchboardIntegration) {
        switchboardIntegration = SwitchboardIntegrationWire(integration)
    }
}

public struct SwitchboardIntegrationListEnvelope: Encodable {
    public var switchboardIntegrations: [SwitchboardIntegrationWire]

    public init(_ integrations: [SwitchboardIntegration]) {
        switchboardIntegrations = integrations.map(SwitchboardIntegrationWire.init)
    }
}

/// A conversation's `activeSwitchboardIntegration` or `pendingSwitchboardIntegration`.
public struct SwitchboardIntegrationSummaryWire: Encodable {
    public var id: String
    public var name: String
    public var integrationId: String
    public var integrationType: String

    public init(_ summary: SwitchboardIntegrationSummary) {
        id = summary.id.rawValue
        name = summary.name
        integrationId = summary.integrationId.rawValue
        integrationType = summary.integrationType
    }
}

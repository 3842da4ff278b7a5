/// An integration's place on a switchboard: the name control is passed to, and how it hears of
/// conversations it does not control.
public struct SwitchboardIntegration: Hashable, Sendable {
    /// "A switchboard is limited to 10 switchboard integrations."
    public static let maximumPerSwitchboard = 10

    public var id: ResourceID
    public var switchboardId: ResourceID
    /// Letters, digits, `-` and `_`, at most 128; unique on its switchboard.
    public var name: String
    public var integrationId: ResourceID
    public var integrationType: String
    /// Whether its webhooks receive a conversation's events while another integration controls it.
    public var deliverStandbyEvents: Bool
    /// Where `next` passes or offers control from it.
    public var nextSwitchboardIntegrationId: ResourceID?
    /// How many of the conversation's latest messages reach it with control (1…10).
    public var messageHistoryCount: Int?
    public var createdAt: Timestamp

    public init(
        id: ResourceID, switchboardId: ResourceID, name: String, integrationId: ResourceID, integrationType: String, deliverStandbyEvents: Bool = true,
        nextSwitchboardIntegrationId: ResourceID? = nil, messageHistoryCount: Int? = nil, createdAt: Timestamp
    ) {
        self.id = id
        self.switchboardId = switchboardId
        self.name = name
        self.integrationId = integrationId
        self.integrationType = integrationType
        self.deliverStandbyEvents = deliverStandbyEvents
        self.nextSwitchboardIntegrationId = nextSwitchboardIntegrationId
        self.messageHistoryCount = messageHistoryCount
        self.createdAt = createdAt
    }

    /// What a conversation shows of the integration in control, or offered it.
    public var summary: SwitchboardIntegrationSummary {
        SwitchboardIntegrationSummary(id: id, name: name, integrationId: integrationId, integrationType: integrationType)
    }
}

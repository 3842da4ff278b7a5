/// CreateSwitchboardIntegration's body: a name, and exactly one of `integrationId` (custom
/// integrations) or `integrationType` (OAuth integrations).
public struct SwitchboardIntegrationCreate: Codable, Sendable, Hashable {
    public var name: String
    public var integrationId: String?
    public var integrationType: String?
    /// Default true.
    public var deliverStandbyEvents: Bool?
    public var nextSwitchboardIntegrationId: String?
    public var messageHistoryCount: Int?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        name: String, integrationId: String? = nil, integrationType: String? = nil, deliverStandbyEvents: Bool? = nil,
        nextSwitchboardIntegrationId: String? = nil, messageHistoryCount: Int? = nil
    ) {
        self.name = name
        self.integrationId = integrationId
        self.integrationType = integrationType
        self.deliverStandbyEvents = deliverStandbyEvents
        self.nextSwitchboardIntegrationId = nextSwitchboardIntegrationId
        self.messageHistoryCount = messageHistoryCount
    }
}

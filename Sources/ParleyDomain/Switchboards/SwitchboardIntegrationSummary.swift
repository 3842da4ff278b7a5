/// A conversation's `activeSwitchboardIntegration` or `pendingSwitchboardIntegration`.
public struct SwitchboardIntegrationSummary: Hashable, Sendable {
    public var id: ResourceID
    public var name: String
    public var integrationId: ResourceID
    public var integrationType: String

    public init(id: ResourceID, name: String, integrationId: ResourceID, integrationType: String) {
        self.id = id
        self.name = name
        self.integrationId = integrationId
        self.integrationType = integrationType
    }
}

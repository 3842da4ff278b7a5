/// The switchboard integration named on a conversation (`activeSwitchboardIntegration`,
/// `pendingSwitchboardIntegration`).
public struct SwitchboardIntegrationSummary: Codable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var integrationId: String?
    public var integrationType: String?
}

/// UpdateSwitchboard's body: only the fields set are sent. Enabling needs a default.
public struct SwitchboardUpdate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var defaultSwitchboardIntegrationId: String?

    public init(enabled: Bool? = nil, defaultSwitchboardIntegrationId: String? = nil) {
        self.enabled = enabled
        self.defaultSwitchboardIntegrationId = defaultSwitchboardIntegrationId
    }
}

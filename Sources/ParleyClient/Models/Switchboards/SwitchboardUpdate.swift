/// UpdateSwitchboard's body: only the fields set are sent. Enabling needs a default.
public struct SwitchboardUpdate: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var defaultSwitchboardIntegrationId: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(enabled: Bool? = nil, defaultSwitchboardIntegrationId: String? = nil) {
        self.enabled = enabled
        self.defaultSwitchboardIntegrationId = defaultSwitchboardIntegrationId
    }
}

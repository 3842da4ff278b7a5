/// UpdateSwitchboard's body (`switchboardUpdateBody`), decoded by ParleyWire's `SwitchboardBody`.
public struct SwitchboardDraft: Sendable {
    public var enabled: Bool?
    /// Not nullable: a default is replaced, never cleared.
    public var defaultSwitchboardIntegrationId: String?

    public init(enabled: Bool? = nil, defaultSwitchboardIntegrationId: String? = nil) {
        self.enabled = enabled
        self.defaultSwitchboardIntegrationId = defaultSwitchboardIntegrationId
    }
}

/// UpdateSwitchboard's body (`switchboardUpdateBody`), decoded by ParleyWire's `SwitchboardBody`.
public struct SwitchboardDraft: Sendable {
    public var enabled: Bool?
    /// Null clears the default (refused while the switchboard is enabled).
    public var defaultSwitchboardIntegrationId: Patch<String>

    public init(enabled: Bool? = nil, defaultSwitchboardIntegrationId: Patch<String> = .absent) {
        self.enabled = enabled
        self.defaultSwitchboardIntegrationId = defaultSwitchboardIntegrationId
    }
}

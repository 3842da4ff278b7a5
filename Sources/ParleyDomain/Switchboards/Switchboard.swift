/// An app's switchboard (at most one per app): whether it routes conversation events, and which
/// of its switchboard integrations takes control of a conversation that has none.
public struct Switchboard: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    /// Disabled, it routes nothing: every integration receives every event it subscribed to.
    public var enabled: Bool
    public var defaultSwitchboardIntegrationId: ResourceID?
    public var createdAt: Timestamp

    public init(id: ResourceID, appId: ResourceID, enabled: Bool = false, defaultSwitchboardIntegrationId: ResourceID? = nil, createdAt: Timestamp) {
        self.id = id
        self.appId = appId
        self.enabled = enabled
        self.defaultSwitchboardIntegrationId = defaultSwitchboardIntegrationId
        self.createdAt = createdAt
    }
}

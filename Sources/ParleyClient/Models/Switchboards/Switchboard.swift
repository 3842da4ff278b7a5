/// An app's switchboard (at most one): which integration controls each conversation.
public struct Switchboard: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// While false, every integration receives every event.
    public var enabled: Bool?
    /// The switchboard integration new conversations start with.
    public var defaultSwitchboardIntegrationId: String?
}

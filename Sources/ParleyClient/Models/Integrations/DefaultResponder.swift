/// The switchboard integration that answers first for a channel.
public struct DefaultResponder: Codable, Sendable, Hashable {
    public var name: String?
    public var integrationId: String?
    public var integrationType: String?
    public var deliverStandbyEvents: Bool?
    public var nextSwitchboardIntegrationId: String?
    public var messageHistoryCount: Int?
    /// Whether it comes from the switchboard's default rather than this integration.
    public var inherited: Bool?
}

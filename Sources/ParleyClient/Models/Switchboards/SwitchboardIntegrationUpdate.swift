/// UpdateSwitchboardIntegration's body: only the fields set are sent; `.null` clears `next` or
/// the history count.
public struct SwitchboardIntegrationUpdate: Codable, Sendable, Hashable {
    public var name: String?
    public var integrationId: String?
    public var integrationType: String?
    public var deliverStandbyEvents: Bool?
    public var nextSwitchboardIntegrationId: Nullable<String>?
    public var messageHistoryCount: Nullable<Int>?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        name: String? = nil, integrationId: String? = nil, integrationType: String? = nil, deliverStandbyEvents: Bool? = nil,
        nextSwitchboardIntegrationId: Nullable<String>? = nil, messageHistoryCount: Nullable<Int>? = nil
    ) {
        self.name = name
        self.integrationId = integrationId
        self.integrationType = integrationType
        self.deliverStandbyEvents = deliverStandbyEvents
        self.nextSwitchboardIntegrationId = nextSwitchboardIntegrationId
        self.messageHistoryCount = messageHistoryCount
    }
}

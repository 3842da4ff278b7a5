/// An integration's place on the switchboard: its name (the target of pass and offer control),
/// whether it hears events while in standby, and who comes next.
public struct SwitchboardIntegration: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// Letters, digits, `-` and `_`; unique on the switchboard.
    public var name: String?
    public var integrationId: String?
    public var integrationType: String?
    /// Whether it receives events while another integration is in control.
    public var deliverStandbyEvents: Bool?
    /// Where `passControl` to `next` goes from this one.
    public var nextSwitchboardIntegrationId: String?
    /// How many recent messages come with control (1–10).
    public var messageHistoryCount: Int?
}

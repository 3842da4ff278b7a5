import ParleyDomain

/// `switchboard` as the API shows it.
public struct SwitchboardWire: Encodable {
    public var id: String
    public var enabled: Bool
    public var defaultSwitchboardIntegrationId: String?

    public init(_ switchboard: Switchboard) {
        id = switchboard.id.rawValue
        enabled = switchboard.enabled
        defaultSwitchboardIntegrationId = switchboard.defaultSwitchboardIntegrationId?.rawValue
    }
}

public struct SwitchboardEnvelope: Encodable {
    public var switchboard: SwitchboardWire

    public init(_ switchboard: Switchboard) {
        self.switchboard = SwitchboardWire(switchboard)
    }
}

public struct SwitchboardListEnvelope: Encodable {
    public var switchboards: [SwitchboardWire]

    public init(_ switchboards: [Switchboard]) {
        self.switchboards = switchboards.map(SwitchboardWire.init)
    }
}

/// What the domain's rules ask of a channel Parley carries: its integration type's fields, and
/// how CreateClient's `matchCriteria` name a user there. Each channel's plug-in implements it in
/// its own folder (ParleyConnectors' `Channels/`); the services receive the registry's list, so
/// no rule outside a channel's folder branches on its type.
public protocol ChannelRules: Sendable {
    /// The integration type (`mailgun`, `twilio`).
    var type: String { get }
    /// The type's own integration fields, as the spec lists them (the fields every type shares
    /// are added by `IntegrationService`).
    var integrationFields: [IntegrationField] { get }
    /// Rules across fields, checked by CreateIntegration once each field has passed its own
    /// (Twilio's "one of phoneNumberSid or messagingServiceSid"). A 400 names what is missing.
    func checkIntegration(settings: [String: JSONValue]) throws
    /// Reads the channel's own fields of `matchCriteria` (`type`, `integrationId` and `primary`
    /// are read already) into the address the client will hold; a 400 names the field at fault.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress
}

extension ChannelRules {
    public func checkIntegration(settings: [String: JSONValue]) throws {}
}

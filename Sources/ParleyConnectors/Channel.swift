import ParleyDomain
import ParleyOutbound

/// One channel Parley carries, everything it means in one folder under `Channels/`: its
/// integration fields and linking rules (`ChannelRules`, which the domain's services use), where
/// its provider's API is, how a channel job is sent there, and the endpoints the provider calls
/// back, each checking the provider's signature first. `ChannelRegistry.all` lists them.
public protocol Channel: ChannelRules {
    /// Where the provider's API is by default, and the setting that moves it.
    var api: ChannelAPI { get }
    /// The channel's sender, over Parley's outbound HTTP client.
    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector
    /// The endpoints under `/v2/apps/{appId}/integrations/{integrationId}/inbound/` the provider calls.
    var inboundEndpoints: Set<String> { get }
    /// Endpoints there that also answer GET: pages people reach through links Parley put in
    /// messages (Mailgun's postback choice), a provider's subscription handshake (Meta's
    /// `hub.challenge`). None by default.
    var readableEndpoints: Set<String> { get }
    /// One provider call to an integration of this type (loaded, its secrets opened): the
    /// signature is checked before anything else of the request is used.
    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply
    /// What the channel settles with its provider when an integration is created (Telegram sets
    /// the bot's webhook), and again when an update changes one of its credentials (a Meta page's
    /// new access token): the settings the provider told. Nothing by default.
    func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue]
    /// PostConversionEvents for one of the channel's users (`client`): the caller's events sent to
    /// the provider's conversions API with the user's identity filled in. Refused (400) by default.
    func forwardConversionEvents(
        _ payload: [String: JSONValue], client: Client, integration: Integration, secrets: [String: String], environment: ChannelEnvironment
    ) async throws -> ConversionEventsReceipt
}

extension Channel {
    public var readableEndpoints: Set<String> { [] }

    public func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue] {
        [:]
    }

    public func forwardConversionEvents(
        _ payload: [String: JSONValue], client: Client, integration: Integration, secrets: [String: String], environment: ChannelEnvironment
    ) async throws -> ConversionEventsReceipt {
        throw ParleyError.badRequest("The \(type) channel does not forward conversion events")
    }
}

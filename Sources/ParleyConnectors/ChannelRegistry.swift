import ParleyDomain
import ParleyOutbound

/// The channels Parley carries: adding one is a folder under `Channels/` and a line here
/// (docs/ARCHITECTURE.md, "Adding a channel"). Everything else — integration fields, CreateClient,
/// sending, inbound routes, settings — reads this list.
public enum ChannelRegistry {
    public static let all: [any Channel] = [
        MailgunChannel(),
        TwilioChannel(),
        TelegramChannel(),
        WhatsAppChannel(),
        MessengerChannel(),
        InstagramChannel(),
        MessageBirdChannel(),
    ]

    public static func channel(_ type: String) -> (any Channel)? {
        all.first { $0.type == type }
    }

    /// What the channels settle with their providers when an integration is created, over the
    /// process's shared client for the outbound policy.
    public static func registrar(apiBaseURLs: [String: String], publicBaseURL: String?, outbound: OutboundAddressPolicy)
        -> any IntegrationRegistrar & ConversionEventsForwarder
    {
        ChannelRegistrar(apiBaseURLs: apiBaseURLs, publicBaseURL: publicBaseURL, client: OutboundClient.shared(for: outbound))
    }

    /// Each channel's connector over one HTTP client, and how to shut that client down.
    /// `apiBaseURLs`: each channel's API base by type (its `api` setting).
    public static func connectors(
        apiBaseURLs: [String: String], publicBaseURL: String?, outbound: OutboundAddressPolicy, attachments: AttachmentService? = nil
    ) -> @Sendable () -> (connectors: [String: any ChannelConnector], shutdown: @Sendable () async -> Void) {
        {
            let client = OutboundClient(policy: outbound)
            var connectors: [String: any ChannelConnector] = [:]
            for channel in all {
                let environment = ChannelEnvironment(
                    client: client, apiBaseURL: apiBaseURLs[channel.type] ?? channel.api.defaultURL, publicBaseURL: publicBaseURL,
                    attachments: attachments)
                connectors[channel.type] = channel.connector(environment)
            }
            return (connectors, { await client.shutdown() })
        }
    }
}

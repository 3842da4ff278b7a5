import ParleyDomain
import ParleyOutbound

/// `IntegrationRegistrar` and `ConversionEventsForwarder` for the registry's channels: an
/// integration of a carried type goes to its channel's `register`, conversion events to its
/// `forwardConversionEvents`; other types settle nothing and forward nothing.
struct ChannelRegistrar: IntegrationRegistrar, ConversionEventsForwarder {
    let apiBaseURLs: [String: String]
    let publicBaseURL: String?
    let client: OutboundClient

    func register(_ integration: Integration, secrets: [String: String]) async throws -> [String: JSONValue] {
        guard let channel = ChannelRegistry.channel(integration.type) else { return [:] }
        return try await channel.register(integration, secrets: secrets, environment: environment(channel))
    }

    func forwardConversionEvents(_ payload: [String: JSONValue], client: Client, integration: Integration, secrets: [String: String])
        async throws -> ConversionEventsReceipt
    {
        guard let channel = ChannelRegistry.channel(integration.type) else {
            throw ParleyError.badRequest("The \(integration.type) integration does not forward conversion events")
        }
        return try await channel.forwardConversionEvents(payload, client: client, integration: integration, secrets: secrets, environment: environment(channel))
    }

    private func environment(_ channel: any Channel) -> ChannelEnvironment {
        ChannelEnvironment(client: client, apiBaseURL: apiBaseURLs[channel.type] ?? channel.api.defaultURL, publicBaseURL: publicBaseURL)
    }
}

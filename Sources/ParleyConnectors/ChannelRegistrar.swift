import ParleyDomain
import ParleyOutbound

/// `IntegrationRegistrar` for the registry's channels: an integration of a carried type goes to
/// its channel's `register`; other types settle nothing.
struct ChannelRegistrar: IntegrationRegistrar {
    let apiBaseURLs: [String: String]
    let publicBaseURL: String?
    let client: OutboundClient

    func register(_ integration: Integration, secrets: [String: String]) async throws -> [String: JSONValue] {
        guard let channel = ChannelRegistry.channel(integration.type) else { return [:] }
        let environment = ChannelEnvironment(
            client: client, apiBaseURL: apiBaseURLs[channel.type] ?? channel.api.defaultURL, publicBaseURL: publicBaseURL)
        return try await channel.register(integration, secrets: secrets, environment: environment)
    }
}

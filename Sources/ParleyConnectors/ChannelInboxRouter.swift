import ParleyDomain

/// Every provider call, dispatched to the channel of the integration it names: the integration is
/// loaded (404 for another app's or an unknown one), the endpoint must be one of its channel's
/// (404 otherwise; GET only for a readable endpoint), and the channel checks the signature with the
/// integration's opened secrets.
public struct ChannelInboxRouter: ChannelInbox {
    let integrations: IntegrationService
    let services: ChannelServices

    public init(integrations: IntegrationService, services: ChannelServices) {
        self.integrations = integrations
        self.services = services
    }

    public func receive(_ request: InboundRequest) async throws -> InboundReply {
        let integration = try await integrations.get(appId: request.appId, id: request.integrationId.rawValue)
        guard let channel = ChannelRegistry.channel(integration.type),
            channel.readableEndpoints.contains(request.endpoint) || (request.method == .post && channel.inboundEndpoints.contains(request.endpoint))
        else {
            throw ParleyError.notFound(.route)
        }
        return try await channel.receive(request, integration: integration, secrets: try integrations.secrets(of: integration), services: services)
    }
}

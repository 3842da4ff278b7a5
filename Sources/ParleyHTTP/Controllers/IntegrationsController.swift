import Hummingbird
import ParleyDomain
import ParleyWire

/// Integrations: CreateIntegration, ListIntegrations, GetIntegration, UpdateIntegration, DeleteIntegration.
struct IntegrationsController {
    let integrations: IntegrationService
    let webhooks: WebhookService
    let publicBaseURL: String?

    func register(on api: APIRouterBuilder) {
        let webhooks = self.webhooks
        @Sendable func wire(_ integration: Integration) -> IntegrationWire {
            IntegrationWire(integration: integration, webhookSecret: webhooks.secret(of:))
        }
        api.on(.createIntegration) { call in
            let body = try await call.decode(IntegrationBody.self)
            let integration = try await integrations.create(appId: try call.requiredAppId, body.draft)
            return try JSONResponse.make(IntegrationEnvelope(integration: wire(integration)), status: .created)
        }
        api.on(.listIntegrations) { call in
            let pageRequest = try PageQuery.parse(call.query)
            let page = try await integrations.list(appId: try call.requiredAppId, types: call.query["filter[types]"], page: pageRequest)
            return try call.pagedResponse(
                page, request: pageRequest, key: "integrations", publicBaseURL: publicBaseURL, id: \.id, wire: wire)
        }
        api.on(.getIntegration) { call in
            let integration = try await integrations.get(appId: try call.requiredAppId, id: call.parameter("integrationId"))
            return try JSONResponse.make(IntegrationEnvelope(integration: wire(integration)))
        }
        api.on(.updateIntegration) { call in
            let body = try await call.decode(IntegrationBody.self)
            let integration = try await integrations.update(appId: try call.requiredAppId, id: call.parameter("integrationId"), body.draft)
            return try JSONResponse.make(IntegrationEnvelope(integration: wire(integration)))
        }
        api.on(.deleteIntegration) { call in
            try await integrations.delete(appId: try call.requiredAppId, id: call.parameter("integrationId"))
            return try JSONResponse.empty()
        }
    }
}

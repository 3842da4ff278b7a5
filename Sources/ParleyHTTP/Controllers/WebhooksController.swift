import Hummingbird
import ParleyDomain
import ParleyWire

/// Webhooks: CreateWebhook, ListWebhooks, GetWebhook, UpdateWebhook, DeleteWebhook.
struct WebhooksController {
    let integrations: IntegrationService
    let webhooks: WebhookService

    func register(on api: APIRouterBuilder) {
        let webhooks = self.webhooks
        @Sendable func wire(_ webhook: Webhook) throws -> WebhookWire { WebhookWire(webhook, secret: try webhooks.secret(of: webhook)) }
        api.on(.createWebhook) { call in
            let body = try await call.decode(WebhookBody.self)
            let webhook = try await webhooks.create(try await call.integration(integrations), body.draft)
            return try JSONResponse.make(WebhookEnvelope(webhook: try wire(webhook)), status: .created)
        }
        api.on(.listWebhooks) { call in
            try JSONResponse.make(WebhookListEnvelope(webhooks: try webhooks.list(try await call.integration(integrations)).map(wire)))
        }
        api.on(.getWebhook) { call in
            let webhook = try webhooks.get(try await call.integration(integrations), id: call.parameter("webhookId"))
            return try JSONResponse.make(WebhookEnvelope(webhook: try wire(webhook)))
        }
        api.on(.updateWebhook) { call in
            let body = try await call.decode(WebhookBody.self)
            let webhook = try await webhooks.update(try await call.integration(integrations), id: call.parameter("webhookId"), body.draft)
            return try JSONResponse.make(WebhookEnvelope(webhook: try wire(webhook)))
        }
        api.on(.deleteWebhook) { call in
            try await webhooks.delete(try await call.integration(integrations), id: call.parameter("webhookId"))
            return try JSONResponse.empty()
        }
    }
}

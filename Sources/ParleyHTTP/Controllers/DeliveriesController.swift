import Hummingbird
import ParleyDomain
import ParleyWire

/// Parley's extension under each webhook's own path: see a webhook's deliveries and send events
/// again. Not part of the Sunshine Conversations spec (docs/WEBHOOKS.md).
struct DeliveriesController {
    let integrations: IntegrationService
    let webhooks: WebhookService

    func register(on api: APIRouterBuilder) {
        api.on(.listWebhookDeliveries) { call in
            let limit = call.query["limit"].flatMap(Int.init) ?? 100
            let records = try await webhooks.deliveries(try await call.integration(integrations), id: call.parameter("webhookId"), limit: limit)
            return try JSONResponse.make(DeliveryListEnvelope(deliveries: records.map(DeliveryWire.init)))
        }
        api.on(.redeliverWebhookEvents) { call in
            let body = try await call.decode(RedeliverBody.self)
            let count = try await webhooks.redeliver(
                try await call.integration(integrations), id: call.parameter("webhookId"), eventId: body.eventId, since: body.since)
            return try JSONResponse.make(["redelivered": count])
        }
    }
}

/// Webhooks of custom integrations: CreateWebhook, ListWebhooks, GetWebhook, UpdateWebhook,
/// DeleteWebhook.
public struct WebhooksAPI: Sendable {
    let transport: Transport

    /// Adds a webhook to a custom integration; the answer carries its secret
    /// (CreateWebhook, `POST …/integrations/{integrationId}/webhooks`).
    /// - Throws: ``SunshineClientError``: `400` (another type, an unknown trigger, past 10), `404 integration_not_found`.
    public func create(appId: String, integrationId: String, _ body: WebhookCreate) async throws(SunshineClientError) -> Webhook {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "integrations", integrationId, "webhooks")).json(body), at: "webhook")
    }

    /// The integration's webhooks (ListWebhooks; not paginated).
    /// - Throws: ``SunshineClientError``: `404 integration_not_found`.
    public func list(appId: String, integrationId: String) async throws(SunshineClientError) -> [Webhook] {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "integrations", integrationId, "webhooks")), at: "webhooks")
    }

    /// One webhook (GetWebhook).
    /// - Throws: ``SunshineClientError``: `404 not_found`.
    public func get(appId: String, integrationId: String, webhookId: String) async throws(SunshineClientError) -> Webhook {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "integrations", integrationId, "webhooks", webhookId)), at: "webhook")
    }

    /// Changes a webhook's target, triggers or inclusions (UpdateWebhook).
    /// - Throws: ``SunshineClientError``: `404 not_found`, `400 bad_request`.
    public func update(appId: String, integrationId: String, webhookId: String, _ body: WebhookUpdate) async throws(SunshineClientError) -> Webhook {
        try await transport.value(
            APIRequest(.PATCH, path("v2", "apps", appId, "integrations", integrationId, "webhooks", webhookId)).json(body), at: "webhook")
    }

    /// Deletes a webhook (DeleteWebhook).
    /// - Throws: ``SunshineClientError``: `404 not_found`.
    public func delete(appId: String, integrationId: String, webhookId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "integrations", integrationId, "webhooks", webhookId)))
    }
}

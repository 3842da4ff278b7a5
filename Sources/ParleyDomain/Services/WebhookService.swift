/// Webhooks of custom integrations: CreateWebhook … DeleteWebhook.
public struct WebhookService: Sendable {
    /// "10 webhooks per app".
    public static let webhookLimit = 10

    private let store: any IntegrationStore
    private let ids: ResourceIDGenerator

    public init(store: any IntegrationStore, ids: ResourceIDGenerator) {
        self.store = store
        self.ids = ids
    }

    public func create(_ integration: Integration, _ body: JSONValue) async throws -> Webhook {
        try Self.requireCustom(integration)
        let webhook = try Webhook.validated(
            body, path: "", id: ids.next(), integrationId: integration.id, secret: IntegrationService.randomHex(bytes: 16))
        try await store.insertWebhook(webhook, appId: integration.appId, limitPerApp: Self.webhookLimit)
        return webhook
    }

    public func list(_ integration: Integration) throws -> [Webhook] {
        try Self.requireCustom(integration)
        return integration.webhooks
    }

    public func get(_ integration: Integration, id: String) throws -> Webhook {
        guard let webhook = integration.webhooks.first(where: { $0.id.rawValue == id.lowercased() }) else {
            throw ParleyError.notFound(.webhook)
        }
        return webhook
    }

    /// UpdateWebhook (`webhookBody`): every field optional; what is given is validated as on create.
    public func update(_ integration: Integration, id: String, _ body: JSONValue) async throws -> Webhook {
        let current = try get(integration, id: id)
        var reader = try JSONReader(body, path: "")
        var merged: [String: JSONValue] = [
            "target": .string(current.target), "triggers": .array(current.triggers.map(JSONValue.string)),
            "includeFullUser": .bool(current.includeFullUser), "includeFullSource": .bool(current.includeFullSource),
        ]
        for key in ["target", "triggers", "includeFullUser", "includeFullSource"] {
            reader.accept(key)
            if let value = reader.object[key] {
                guard value != .null else { throw ParleyError.badRequest("\(key) cannot be null") }
                merged[key] = value
            }
        }
        let validated = try Webhook.validated(
            .object(merged), path: "", id: current.id, integrationId: integration.id, secret: current.secret)
        guard let updated = try await store.updateWebhook(integrationId: integration.id, id: current.id, { webhook in
            webhook.target = validated.target
            webhook.triggers = validated.triggers
            webhook.includeFullUser = validated.includeFullUser
            webhook.includeFullSource = validated.includeFullSource
        }) else { throw ParleyError.notFound(.webhook) }
        return updated
    }

    public func delete(_ integration: Integration, id: String) async throws {
        let webhook = try get(integration, id: id)
        guard try await store.deleteWebhook(integrationId: integration.id, id: webhook.id) else { throw ParleyError.notFound(.webhook) }
    }

    private static func requireCustom(_ integration: Integration) throws {
        guard integration.type == "custom" else { throw ParleyError.badRequest("Webhooks are available only for custom integrations") }
    }
}

/// Webhooks of custom integrations: CreateWebhook … DeleteWebhook.
public struct WebhookService: Sendable {
    /// "10 webhooks per app".
    public static let webhookLimit = 10

    private let store: any IntegrationStore & EventStore
    private let sealer: any SecretSealer
    private let outbound: OutboundAddressPolicy
    private let ids: ResourceIDGenerator
    private let now: @Sendable () -> Timestamp

    public init(
        store: any IntegrationStore & EventStore, sealer: any SecretSealer, outbound: OutboundAddressPolicy = OutboundAddressPolicy(),
        ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.sealer = sealer
        self.outbound = outbound
        self.ids = ids
        self.now = now
    }

    /// The webhook's secret in the clear: for its owner (GetWebhook shows it) and for signing.
    public func secret(of webhook: Webhook) throws -> String {
        try sealer.open(webhook.secret)
    }

    /// A new webhook's secret (32 hex digits), sealed.
    func newSecret() throws -> SealedSecret {
        try sealer.seal(IntegrationService.randomHex(bytes: 16))
    }

    /// Seals the secrets of webhooks stored in the clear by versions before secrets were sealed.
    /// Run at start-up, after migrations; returns how many were sealed.
    public func sealStoredSecrets() async throws -> Int {
        let sealer = self.sealer
        return try await store.sealClearWebhookSecrets { try sealer.seal($0) }
    }

    /// Parley's extension: the webhook's most recent deliveries, newest first.
    public func deliveries(_ integration: Integration, id: String, limit: Int) async throws -> [DeliveryRecord] {
        let webhook = try get(integration, id: id)
        return try await store.deliveries(webhookId: webhook.id, limit: min(max(limit, 1), 1000))
    }

    /// Parley's extension: queue one event (`eventId`) or every event since a time (`since`) again
    /// for this webhook. Events keep their ids, so receivers can de-duplicate.
    public func redeliver(_ integration: Integration, id: String, eventId: String?, since: String?) async throws -> Int {
        let webhook = try get(integration, id: id)
        switch (eventId, since) {
        case (let eventId?, nil):
            guard let event = ResourceID(eventId) else { throw ParleyError.badRequest("eventId must be an event id") }
            let count = try await store.redeliver(webhookId: webhook.id, eventId: event, since: nil, now: now())
            if count == 0 { throw ParleyError(kind: .notFound, code: "not_found", title: "No delivery of that event to this webhook") }
            return count
        case (nil, let since?):
            return try await store.redeliver(webhookId: webhook.id, eventId: nil, since: try Rules.datetime(since, field: "since"), now: now())
        default:
            throw ParleyError.badRequest("Give exactly one of eventId or since")
        }
    }

    public func create(_ integration: Integration, _ draft: WebhookDraft) async throws -> Webhook {
        try Self.requireCustom(integration)
        let webhook = try Webhook.validated(
            draft, path: "", id: ids.next(), integrationId: integration.id, secret: try newSecret(), outbound: outbound)
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
    public func update(_ integration: Integration, id: String, _ draft: WebhookDraft) async throws -> Webhook {
        let current = try get(integration, id: id)
        let merged = WebhookDraft(
            target: draft.target ?? current.target, triggers: draft.triggers ?? current.triggers,
            includeFullUser: draft.includeFullUser ?? current.includeFullUser, includeFullSource: draft.includeFullSource ?? current.includeFullSource)
        let validated = try Webhook.validated(
            merged, path: "", id: current.id, integrationId: integration.id, secret: current.secret, outbound: outbound)
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

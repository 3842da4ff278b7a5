import ParleyDomain

/// `integration` as the API shows it: id, type, status and the type's visible fields; a custom
/// integration also shows its webhooks (with their secrets, as GetWebhook does). Credentials are
/// never part of it.
public struct IntegrationWire: Encodable {
    public let integration: Integration
    /// Opens a webhook's sealed secret (`WebhookService.secret(of:)`).
    public let webhookSecret: (Webhook) throws -> String

    public init(integration: Integration, webhookSecret: @escaping (Webhook) throws -> String) {
        self.integration = integration
        self.webhookSecret = webhookSecret
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in integration.settings { try container.encode(value, forKey: AnyKey(key)) }
        try container.encode(integration.id.rawValue, forKey: AnyKey("id"))
        try container.encode(integration.type, forKey: AnyKey("type"))
        try container.encode(integration.status, forKey: AnyKey("status"))
        if integration.type == "custom" {
            try container.encode(integration.webhooks.map { WebhookWire($0, secret: try webhookSecret($0)) }, forKey: AnyKey("webhooks"))
        }
    }
}

public struct WebhookWire: Encodable {
    public var id: String
    public var version: String
    public var target: String
    public var triggers: [String]
    public var secret: String
    public var includeFullUser: Bool
    public var includeFullSource: Bool

    public init(_ webhook: Webhook, secret: String) {
        self.id = webhook.id.rawValue
        self.version = webhook.version
        self.target = webhook.target
        self.triggers = webhook.triggers.map(\.rawValue)
        self.secret = secret
        self.includeFullUser = webhook.includeFullUser
        self.includeFullSource = webhook.includeFullSource
    }
}

public struct IntegrationEnvelope: Encodable {
    public var integration: IntegrationWire

    public init(integration: IntegrationWire) {
        self.integration = integration
    }
}

public struct WebhookEnvelope: Encodable {
    public var webhook: WebhookWire

    public init(webhook: WebhookWire) {
        self.webhook = webhook
    }
}

public struct WebhookListEnvelope: Encodable {
    public var webhooks: [WebhookWire]

    public init(webhooks: [WebhookWire]) {
        self.webhooks = webhooks
    }
}

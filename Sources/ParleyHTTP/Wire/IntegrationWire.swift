import ParleyDomain

/// `integration` as the API shows it: id, type, status and the type's visible fields; a custom
/// integration also shows its webhooks (with their secrets, as GetWebhook does). Credentials are
/// never part of it.
struct IntegrationWire: Encodable {
    let integration: Integration
    /// Opens a webhook's sealed secret (`WebhookService.secret(of:)`).
    let webhookSecret: (Webhook) throws -> String

    func encode(to encoder: any Encoder) throws {
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

struct WebhookWire: Encodable {
    var id: String
    var version: String
    var target: String
    var triggers: [String]
    var secret: String
    var includeFullUser: Bool
    var includeFullSource: Bool

    init(_ webhook: Webhook, secret: String) {
        self.id = webhook.id.rawValue
        self.version = webhook.version
        self.target = webhook.target
        self.triggers = webhook.triggers.map(\.rawValue)
        self.secret = secret
        self.includeFullUser = webhook.includeFullUser
        self.includeFullSource = webhook.includeFullSource
    }
}

struct IntegrationEnvelope: Encodable {
    var integration: IntegrationWire
}

/// A body read as raw JSON for rules that live in the domain (integrations are validated field
/// by field against the type's catalog entry).
struct JSONBody: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        value = try JSONValue(from: decoder)
        guard case .object = value else { throw ParleyError.badRequest("The request body must be a JSON object") }
    }
}

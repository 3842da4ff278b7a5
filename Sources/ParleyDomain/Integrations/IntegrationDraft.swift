/// CreateIntegration's and UpdateIntegration's body, decoded by ParleyWire's `IntegrationBody`:
/// the type and, for a custom integration, its webhooks, typed; the type's own fields stay JSON,
/// because which fields exist depends on the type (`IntegrationCatalog`, a channel's
/// `integrationFields`), and `IntegrationService` reads them by that list.
public struct IntegrationDraft: Sendable {
    /// `type`, when given (CreateIntegration requires it).
    public var type: String?
    /// The body as sent: the type's fields are read from it.
    public var fields: JSONValue
    /// A custom integration's `webhooks` on creation.
    public var webhooks: [WebhookDraft]?

    public init(type: String?, fields: JSONValue, webhooks: [WebhookDraft]? = nil) {
        self.type = type
        self.fields = fields
        self.webhooks = webhooks
    }
}

/// UpdateWebhook's body: only the fields set are sent (the secret and version never change).
public struct WebhookUpdate: Codable, Sendable, Hashable {
    public var target: String?
    public var triggers: [WebhookTrigger]?
    public var includeFullUser: Bool?
    public var includeFullSource: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(target: String? = nil, triggers: [WebhookTrigger]? = nil, includeFullUser: Bool? = nil, includeFullSource: Bool? = nil) {
        self.target = target
        self.triggers = triggers
        self.includeFullUser = includeFullUser
        self.includeFullSource = includeFullSource
    }
}

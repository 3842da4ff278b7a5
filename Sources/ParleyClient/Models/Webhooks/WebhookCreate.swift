/// CreateWebhook's body (and a custom integration's inline webhook).
public struct WebhookCreate: Codable, Sendable, Hashable {
    public var target: String
    public var triggers: [WebhookTrigger]
    public var includeFullUser: Bool?
    public var includeFullSource: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(target: String, triggers: [WebhookTrigger], includeFullUser: Bool? = nil, includeFullSource: Bool? = nil) {
        self.target = target
        self.triggers = triggers
        self.includeFullUser = includeFullUser
        self.includeFullSource = includeFullSource
    }
}

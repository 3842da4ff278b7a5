/// A webhook body (`webhookCreateBody`, `webhookBody`, or one of a custom integration's
/// `webhooks`), decoded by ParleyWire's `WebhookBody`: what was given, each field of the right
/// kind; `Webhook.validated` requires what creation needs and judges the target.
public struct WebhookDraft: Sendable {
    public var target: String?
    public var triggers: [EventType]?
    public var includeFullUser: Bool?
    public var includeFullSource: Bool?

    public init(target: String? = nil, triggers: [EventType]? = nil, includeFullUser: Bool? = nil, includeFullSource: Bool? = nil) {
        self.target = target
        self.triggers = triggers
        self.includeFullUser = includeFullUser
        self.includeFullSource = includeFullSource
    }
}

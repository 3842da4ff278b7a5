/// A webhook of a custom integration: where events are POSTed, and which.
public struct Webhook: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// `v2`.
    public var version: String?
    /// The URL events are sent to.
    public var target: String?
    public var triggers: [WebhookTrigger]?
    /// Sent as `X-API-Key` with every event, so the receiver can tell the events are yours.
    public var secret: String?
    /// Whether events carry the full user.
    public var includeFullUser: Bool?
    /// Whether message events carry the full source (client and device).
    public var includeFullSource: Bool?
}

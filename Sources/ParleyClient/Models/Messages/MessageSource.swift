import Foundation

/// Where a message came from.
public struct MessageSource: Codable, Sendable, Hashable {
    /// The channel: `api:conversations`, `sdk`, `mailgun`, `twilio`…
    public var type: String?
    /// The integration it came through (user messages).
    public var integrationId: String?
    /// The channel's own id of the message.
    public var originalMessageId: String?
    public var originalMessageTimestamp: Date?
    /// The client it came from (webhooks with `includeFullSource` only).
    public var client: Client?
    /// The device it came from (webhooks with `includeFullSource` only).
    public var device: Device?
}

import Foundation

/// A user's presence on one channel (an email address through Mailgun, a phone number through
/// Twilio, a browser through the web messenger).
public struct Client: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var type: ClientType
    public var status: ClientStatus?
    /// The integration carrying the client (not set for `sdk` clients).
    public var integrationId: String?
    /// The user's id on the channel: an email address, a phone number, a PSID.
    public var externalId: String?
    public var lastSeen: Date?
    /// When the link was confirmed.
    public var linkedAt: Date?
    public var displayName: String?
    public var avatarUrl: String?
    /// Curated channel-specific details.
    public var info: JSONObject?
    /// The channel's own data, as it gave it.
    public var raw: JSONObject?
}

import Foundation

/// A user of an app: someone the business talks to.
public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// The business's own id for the user; the `{user}` path parameter takes it too.
    public var externalId: String?
    /// The linked Zendesk user's id.
    public var zendeskId: String?
    /// Set when the user is brand-separated.
    public var brandId: String?
    /// Whether the user was identified by the business (an externalId through a trusted key, a JWT…).
    public var authenticated: Bool?
    public var signedUpAt: Date?
    /// Whether the user is kept when the app's retention would delete them.
    public var toBeRetained: Bool?
    public var profile: UserProfile?
    public var metadata: JSONObject?
    /// Verified identities (email addresses…), what ListUsers searches.
    public var identities: [Identity]?
}

import Foundation

/// An OAuth client registered with Parley (Parley's `/admin/oauthClients` extension): the
/// application that asks apps' owners for access.
public struct OAuthClient: Codable, Sendable, Hashable, Identifiable {
    /// The `client_id`.
    public var id: String
    public var name: String?
    /// Where the authorization code may be sent.
    public var redirectUris: [String]?
    /// The `client_secret`: only in CreateOAuthClient's answer.
    public var secret: String?
    public var createdAt: Date?
}

/// The body of Parley's CreateOAuthClient (`POST /admin/oauthClients`).
public struct OAuthClientCreate: Codable, Sendable, Hashable {
    public var name: String
    /// Where authorization codes may be sent; Authorize without a `redirect_uri` uses the first.
    public var redirectUris: [String]

    /// Makes one from its fields; those left nil are not sent.
    public init(name: String, redirectUris: [String]) {
        self.name = name
        self.redirectUris = redirectUris
    }
}

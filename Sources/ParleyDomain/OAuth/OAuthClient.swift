/// A program registered by the account to ask users for access to their apps (the OAuth flow):
/// its id is the `client_id`, its redirect URIs are the only places a code is ever sent.
public struct OAuthClient: Hashable, Sendable {
    public var id: ResourceID
    public var name: String
    /// In registration order; the first is used when an authorization request names none.
    public var redirectURIs: [String]
    /// The `client_secret`, kept only in protected form.
    public var secret: SealedSecret
    public var createdAt: Timestamp

    public init(id: ResourceID, name: String, redirectURIs: [String], secret: SealedSecret, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.redirectURIs = redirectURIs
        self.secret = secret
        self.createdAt = createdAt
    }
}

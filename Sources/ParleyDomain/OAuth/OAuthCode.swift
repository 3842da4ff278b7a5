/// An authorization code as stored: only its keyed hash, what it grants and where it was sent.
public struct OAuthCode: Hashable, Sendable {
    /// The keyed hash of the code (`SecretSealer`): the code itself is never stored.
    public var hash: [UInt8]
    public var clientId: ResourceID
    public var appId: ResourceID
    /// Where the code was sent.
    public var redirectURI: String
    /// Whether the authorization request named `redirectURI` itself; then the token request
    /// must repeat it (RFC 6749 §4.1.3).
    public var redirectURIGiven: Bool
    public var expiresAt: Timestamp
    /// The key the code was exchanged for, once it has been.
    public var issuedKeyId: KeyID?

    public init(
        hash: [UInt8], clientId: ResourceID, appId: ResourceID, redirectURI: String, redirectURIGiven: Bool, expiresAt: Timestamp,
        issuedKeyId: KeyID? = nil
    ) {
        self.hash = hash
        self.clientId = clientId
        self.appId = appId
        self.redirectURI = redirectURI
        self.redirectURIGiven = redirectURIGiven
        self.expiresAt = expiresAt
        self.issuedKeyId = issuedKeyId
    }
}

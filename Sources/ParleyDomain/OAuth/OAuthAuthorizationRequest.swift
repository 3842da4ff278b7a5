/// A checked authorization request (`GET /oauth/authorize`): a registered client, one of its
/// redirect URIs, and the caller's `state` to hand back.
public struct OAuthAuthorizationRequest: Hashable, Sendable {
    public var clientId: ResourceID
    public var redirectURI: String
    public var redirectURIGiven: Bool
    public var state: String?

    public init(clientId: ResourceID, redirectURI: String, redirectURIGiven: Bool, state: String?) {
        self.clientId = clientId
        self.redirectURI = redirectURI
        self.redirectURIGiven = redirectURIGiven
        self.state = state
    }
}

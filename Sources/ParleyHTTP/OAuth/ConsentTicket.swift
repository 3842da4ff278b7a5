import ParleyDomain

/// What the consent page carries from one form to the next, signed (`SessionTokens`): the checked
/// authorization request and, once the owner has signed in, the key they signed in with. Short
/// lived; it is also the forms' protection against cross-site posts, since only the page has it.
struct ConsentTicket: Codable, Sendable {
    /// Ten minutes to sign in and decide.
    static let lifetimeSeconds: Int64 = 600

    var clientId: String
    var redirectURI: String
    var redirectURIGiven: Bool
    var state: String?
    var keyId: String?
    /// Unix seconds.
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case clientId = "c", redirectURI = "r", redirectURIGiven = "g", state = "s", keyId = "k", expiresAt = "e"
    }

    init(_ request: OAuthAuthorizationRequest, keyId: KeyID? = nil, now: Timestamp) {
        clientId = request.clientId.rawValue
        redirectURI = request.redirectURI
        redirectURIGiven = request.redirectURIGiven
        state = request.state
        self.keyId = keyId?.rawValue
        expiresAt = now.millisecondsSince1970 / 1000 + Self.lifetimeSeconds
    }

    var request: OAuthAuthorizationRequest? {
        ResourceID(clientId).map { OAuthAuthorizationRequest(clientId: $0, redirectURI: redirectURI, redirectURIGiven: redirectURIGiven, state: state) }
    }
}

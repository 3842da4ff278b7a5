import Foundation

/// The OAuth 2.0 authorization-code flow (RFC 6749 §4.1) over Parley's own keys: the account
/// registers clients; a signed-in owner grants one of them an app; the client exchanges the code,
/// once, for an access token. The token is an app key issued to the client (`oauthClientId`), so it
/// is accepted wherever app keys are, is listed with the app's keys, and ends when that key is
/// deleted (RevokeAccess, DeleteAppKey, or the client's deletion).
public struct OAuthService: Sendable {
    /// RFC 6749 §4.1.2 recommends at most ten minutes.
    public static let codeLifetimeSeconds: Int64 = 600
    /// Spent and expired codes are kept this long after expiry, so a replayed code is recognised
    /// (and revokes its token) rather than merely unknown.
    public static let spentCodeMemorySeconds: Int64 = 86_400
    public static let redirectURILimit = 10
    /// Bounds that keep the consent page's signed ticket, which carries both, within a URL's length.
    public static let redirectURIMaxLength = 1024
    public static let stateMaxLength = 512

    private let store: any OAuthStore & KeyStore
    private let apps: AppService
    private let sealer: any SecretSealer
    private let ids: ResourceIDGenerator
    private let now: @Sendable () -> Timestamp

    public init(
        store: any OAuthStore & KeyStore, apps: AppService, sealer: any SecretSealer, ids: ResourceIDGenerator,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.apps = apps
        self.sealer = sealer
        self.ids = ids
        self.now = now
    }

    // MARK: Clients (account keys, `/admin/oauthClients`)

    /// Registers a client; the secret is returned this once.
    public func registerClient(name: String?, redirectURIs: [String]?) async throws -> (client: OAuthClient, secret: String) {
        guard let name else { throw ParleyError.badRequest("name is required") }
        try Rules.length(name, 1...100, field: "name")
        try Rules.noNUL(name, field: "name")
        guard let redirectURIs, !redirectURIs.isEmpty else { throw ParleyError.badRequest("redirectUris must list at least one URI") }
        guard redirectURIs.count <= Self.redirectURILimit else {
            throw ParleyError.badRequest("redirectUris may list at most \(Self.redirectURILimit) URIs")
        }
        for uri in redirectURIs {
            try Rules.uri(uri, maxLength: Self.redirectURIMaxLength, field: "redirectUris")
            // RFC 6749 §3.1.2: the endpoint URI MUST NOT include a fragment.
            guard !uri.contains("#") else { throw ParleyError.badRequest("redirectUris must not contain a fragment (#)") }
        }
        let secret = SecretGenerator.make()
        let client = OAuthClient(id: ids.next(), name: name, redirectURIs: redirectURIs, secret: try sealer.seal(secret), createdAt: now())
        try await store.insertOAuthClient(client)
        return (client, secret)
    }

    public func clients() async throws -> [OAuthClient] {
        try await store.oauthClients()
    }

    public func client(id: ResourceID) async throws -> OAuthClient? {
        try await store.oauthClient(id: id)
    }

    /// Deletes the client and so revokes every token issued to it.
    public func deleteClient(id text: String) async throws {
        guard let id = ResourceID(text), try await store.deleteOAuthClient(id: id) else {
            throw ParleyError(kind: .notFound, code: "not_found", title: "OAuth client not found")
        }
    }

    // MARK: Authorization (`GET /oauth/authorize`)

    /// Checks an authorization request's parameters. A failure carries `redirect` when the error
    /// may be sent to the client (RFC 6749 §4.1.2.1); without one it must be shown to the user.
    public func checkAuthorization(clientId: String?, responseType: String?, redirectURI: String?, state: String?) async throws
        -> OAuthAuthorizationRequest
    {
        guard let clientId, let id = ResourceID(clientId), let client = try await store.oauthClient(id: id) else {
            throw OAuthFailure(.invalidRequest, "client_id does not name a registered OAuth client")
        }
        if let redirectURI, !client.redirectURIs.contains(redirectURI) {
            throw OAuthFailure(.invalidRequest, "redirect_uri is not one of the client's registered redirect URIs")
        }
        guard let target = redirectURI ?? client.redirectURIs.first else {
            throw OAuthFailure(.invalidRequest, "The client has no redirect URI")
        }
        let request = OAuthAuthorizationRequest(clientId: id, redirectURI: target, redirectURIGiven: redirectURI != nil, state: state)
        if let state, state.utf8.count > Self.stateMaxLength {
            var unechoed = request
            unechoed.state = nil
            throw OAuthFailure(.invalidRequest, "state may be at most \(Self.stateMaxLength) bytes", redirect: unechoed)
        }
        guard let responseType else { throw OAuthFailure(.invalidRequest, "response_type is required", redirect: request) }
        guard responseType == "code" else {
            throw OAuthFailure(.unsupportedResponseType, "Only response_type=code is supported", redirect: request)
        }
        return request
    }

    /// The apps the signed-in principal may grant: every app for an account key (the first 100),
    /// its own app for an app key.
    public func grantableApps(for principal: Principal) async throws -> [App] {
        switch principal.scope {
        case .account: return try await apps.list(PageRequest(size: PageRequest.sizeRange.upperBound)).items
        case .app:
            guard let appId = principal.appId else { return [] }
            return [try await apps.get(appId)]
        case .integration: return []
        }
    }

    /// The owner allowed `request`'s client into `appId`: a fresh single-use code for it.
    public func grant(_ request: OAuthAuthorizationRequest, appId: ResourceID, by principal: Principal) async throws -> String {
        guard principal.scope != .integration else { throw ParleyError.forbidden("Sign in with an account key or an app key") }
        try principal.authorize([.account, .app], appId: appId)
        try await apps.requireExists(appId)
        guard try await store.oauthClient(id: request.clientId) != nil else {
            throw OAuthFailure(.invalidRequest, "client_id does not name a registered OAuth client")
        }
        let code = SecretGenerator.make()
        let issuedAt = now()
        try await store.insertOAuthCode(
            OAuthCode(
                hash: try sealer.seal(code).hash, clientId: request.clientId, appId: appId, redirectURI: request.redirectURI,
                redirectURIGiven: request.redirectURIGiven, expiresAt: Timestamp(millisecondsSince1970: issuedAt.millisecondsSince1970 + Self.codeLifetimeSeconds * 1000)),
            forgetBefore: Timestamp(millisecondsSince1970: issuedAt.millisecondsSince1970 - Self.spentCodeMemorySeconds * 1000))
        return code
    }

    // MARK: Token (`POST /oauth/token`)

    /// Exchanges a code for an access token's key (RFC 6749 §4.1.3): the client authenticated by
    /// its secret, the code its own, unexpired, unspent and, when the authorization request named
    /// a redirect URI, the same URI again. The issued key signs the token.
    public func exchange(grantType: String?, code: String?, clientId: String?, clientSecret: String?, redirectURI: String?) async throws
        -> IssuedKey
    {
        guard let clientId, let clientSecret else {
            throw OAuthFailure(.invalidClient, "client_id and client_secret are required")
        }
        guard let id = ResourceID(clientId), let client = try await store.oauthClient(id: id), sealer.matches(clientSecret, client.secret) else {
            throw OAuthFailure(.invalidClient, "Unknown client or wrong client_secret")
        }
        guard let grantType else { throw OAuthFailure(.invalidRequest, "grant_type is required") }
        guard grantType == "authorization_code" else {
            throw OAuthFailure(.unsupportedGrantType, "Only grant_type=authorization_code is supported")
        }
        guard let code, !code.isEmpty else { throw OAuthFailure(.invalidRequest, "code is required") }
        let hash = try sealer.seal(code).hash
        guard let stored = try await store.oauthCode(hash: hash), stored.clientId == client.id else {
            throw OAuthFailure(.invalidGrant, "The code is not valid for this client")
        }
        if stored.redirectURIGiven || redirectURI != nil {
            guard redirectURI == stored.redirectURI else {
                throw OAuthFailure(.invalidGrant, "redirect_uri must be the one the authorization request named")
            }
        }
        let secret = SecretGenerator.make()
        let key = APIKey(
            id: KeyID(scope: .app, id: ids.next()), appId: stored.appId, displayName: "OAuth: \(client.name)", secret: try sealer.seal(secret),
            oauthClientId: client.id)
        // A spent code is refused even once expired, so its token is revoked all the same.
        if stored.issuedKeyId == nil, stored.expiresAt <= now() {
            throw OAuthFailure(.invalidGrant, "The code has expired")
        }
        switch try await store.redeemOAuthCode(hash: hash, issuing: key) {
        case .issued: return IssuedKey(key: key, secret: secret)
        case .replayed: throw OAuthFailure(.invalidGrant, "The code was already used; the token issued for it is revoked")
        case .unknown: throw OAuthFailure(.invalidGrant, "The code is not valid for this client")
        }
    }

    // MARK: The token in use

    /// RevokeAccess: deletes the access token's key. Other credentials are refused: an API key is
    /// deleted with DeleteAppKey instead.
    public func revoke(_ principal: Principal) async throws {
        guard let key = try await store.key(id: principal.keyId), key.oauthClientId != nil, let appId = key.appId else {
            throw ParleyError.forbidden("RevokeAccess revokes an OAuth access token; these credentials are an API key")
        }
        _ = try await store.deleteAppKey(id: key.id, appId: appId)
    }

    /// GetTokenInfo: the app the credentials act on, for access tokens and app or integration keys.
    public func tokenApp(_ principal: Principal) async throws -> App {
        guard let appId = principal.appId else {
            throw ParleyError.forbidden("Account keys act on every app; GetTokenInfo describes credentials bound to one app")
        }
        return try await apps.get(appId)
    }
}

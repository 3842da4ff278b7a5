import Foundation

/// The OAuth flow by which an app's owner grants an integration access: the authorize URL,
/// GetToken, GetTokenInfo, RevokeAccess.
public struct OAuthAPI: Sendable {
    let transport: Transport

    /// The URL to send the app's owner to (Authorize, `GET /oauth/authorize`): after they agree,
    /// the browser is sent to `redirectURI` with `code` and `state`.
    /// - Parameters:
    ///   - clientId: The OAuth client's id.
    ///   - state: Echoed back to the redirect URI; check it there (CSRF).
    ///   - redirectURI: One of the client's registered URIs; the first one when nil.
    public func authorizeURL(clientId: String, state: String? = nil, redirectURI: String? = nil) -> URL? {
        Self.authorizeURL(baseURL: transport.baseURL, clientId: clientId, state: state, redirectURI: redirectURI)
    }

    /// ``authorizeURL(clientId:state:redirectURI:)`` for any base URL, without a client: a pure function.
    public static func authorizeURL(baseURL: String, clientId: String, state: String? = nil, redirectURI: String? = nil) -> URL? {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var query = [QueryItem("response_type", "code"), QueryItem("client_id", clientId)]
        if let state { query.append(QueryItem("state", state)) }
        if let redirectURI { query.append(QueryItem("redirect_uri", redirectURI)) }
        return URL(string: base + "/oauth/authorize?" + URLEncoding.query(query))
    }

    /// Exchanges an authorization code for an access token (GetToken, `POST /oauth/token`, JSON
    /// body with `grant_type: authorization_code`). Sent without the client's credentials: the
    /// client id and secret are the credentials. Use the token with ``Credentials/bearer(_:)``.
    /// - Throws: ``SunshineClientError``: `400`/`401` for a code or client that is not valid.
    public func getToken(code: String, clientId: String, clientSecret: String, redirectURI: String? = nil) async throws(SunshineClientError)
        -> OAuthToken
    {
        var body = ["code": code, "grant_type": "authorization_code", "client_id": clientId, "client_secret": clientSecret]
        if let redirectURI { body["redirect_uri"] = redirectURI }
        return try await transport.whole(APIRequest(.POST, path("oauth", "token"), authenticated: false).json(body))
    }

    /// The app the client's access token reaches (GetTokenInfo, `GET /v2/tokenInfo`).
    /// - Throws: ``SunshineClientError``: `401` for a token that is not valid.
    public func tokenInfo() async throws(SunshineClientError) -> App {
        try await transport.value(APIRequest(.GET, path("v2", "tokenInfo")), at: "app")
    }

    /// Revokes the client's access token: the integration loses access to the app
    /// (RevokeAccess, `DELETE /oauth/authorization`).
    /// - Throws: ``SunshineClientError``: `401`.
    public func revokeAccess() async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("oauth", "authorization")))
    }
}

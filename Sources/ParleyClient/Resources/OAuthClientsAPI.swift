/// Parley's OAuth clients (an extension of the API; account keys): the applications that may
/// run the OAuth flow against Parley's apps.
public struct OAuthClientsAPI: Sendable {
    let transport: Transport

    /// Registers an OAuth client; its secret is in this answer only
    /// (`POST /admin/oauthClients`).
    /// - Throws: ``SunshineClientError``: `400 bad_request`, `403` for a non-account key.
    public func create(name: String, redirectUris: [String]) async throws(SunshineClientError) -> OAuthClient {
        try await transport.value(APIRequest(.POST, path("admin", "oauthClients")).json(OAuthClientCreate(name: name, redirectUris: redirectUris)), at: "oauthClient")
    }

    /// Every OAuth client, without secrets (`GET /admin/oauthClients`).
    /// - Throws: ``SunshineClientError``: `403` for a non-account key.
    public func list() async throws(SunshineClientError) -> [OAuthClient] {
        try await transport.value(APIRequest(.GET, path("admin", "oauthClients")), at: "oauthClients")
    }

    /// Deletes an OAuth client (`DELETE /admin/oauthClients/{clientId}`).
    /// - Throws: ``SunshineClientError``: `404`, `403` for a non-account key.
    public func delete(clientId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("admin", "oauthClients", clientId)))
    }
}

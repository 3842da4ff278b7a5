/// App keys (account keys only): CreateAppKey, ListAppKeys, GetAppKey, DeleteAppKey.
public struct AppKeysAPI: Sendable {
    let transport: Transport

    /// Creates an app key; its secret is in the answer (CreateAppKey, `POST /v2/apps/{appId}/keys`).
    /// - Throws: ``SunshineClientError``: `400` past 10 keys, `404 app_not_found`.
    public func create(appId: String, displayName: String) async throws(SunshineClientError) -> APIKey {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "keys")).json(["displayName": displayName]), at: "key")
    }

    /// The app's keys, secrets included (ListAppKeys, `GET /v2/apps/{appId}/keys`; not paginated).
    /// - Throws: ``SunshineClientError``: `404 app_not_found`.
    public func list(appId: String) async throws(SunshineClientError) -> [APIKey] {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "keys")), at: "keys")
    }

    /// One key (GetAppKey, `GET /v2/apps/{appId}/keys/{keyId}`).
    /// - Throws: ``SunshineClientError``: `404 not_found`.
    public func get(appId: String, keyId: String) async throws(SunshineClientError) -> APIKey {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "keys", keyId)), at: "key")
    }

    /// Deletes a key; it stops working at once (DeleteAppKey, `DELETE /v2/apps/{appId}/keys/{keyId}`).
    /// - Throws: ``SunshineClientError``: `404`.
    public func delete(appId: String, keyId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "keys", keyId)))
    }
}

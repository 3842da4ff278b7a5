/// API keys of custom integrations (`int_…`): CreateCustomIntegrationKey,
/// ListCustomIntegrationKeys, GetCustomIntegrationKey, DeleteCustomIntegrationKey.
public struct IntegrationKeysAPI: Sendable {
    let transport: Transport

    /// Creates a key for a custom integration; its secret is in the answer.
    /// (CreateCustomIntegrationKey, `POST …/integrations/{integrationId}/keys`).
    /// - Throws: ``SunshineClientError``: `400` for another type or past 10 keys, `404 integration_not_found`.
    public func create(appId: String, integrationId: String, displayName: String) async throws(SunshineClientError) -> APIKey {
        try await transport.value(
            APIRequest(.POST, path("v2", "apps", appId, "integrations", integrationId, "keys")).json(["displayName": displayName]), at: "key")
    }

    /// The integration's keys (ListCustomIntegrationKeys; not paginated).
    /// - Throws: ``SunshineClientError``: `404 integration_not_found`.
    public func list(appId: String, integrationId: String) async throws(SunshineClientError) -> [APIKey] {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "integrations", integrationId, "keys")), at: "keys")
    }

    /// One key (GetCustomIntegrationKey).
    /// - Throws: ``SunshineClientError``: `404`.
    public func get(appId: String, integrationId: String, keyId: String) async throws(SunshineClientError) -> APIKey {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "integrations", integrationId, "keys", keyId)), at: "key")
    }

    /// Deletes a key (DeleteCustomIntegrationKey).
    /// - Throws: ``SunshineClientError``: `404`.
    public func delete(appId: String, integrationId: String, keyId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "integrations", integrationId, "keys", keyId)))
    }
}

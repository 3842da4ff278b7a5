/// Persistence of API keys.
public protocol KeyStore: Sendable {
    /// Inserts a key. With `limit`, refuses (400) when the key's owner (its app for app keys, its
    /// integration for integration keys) already has that many, checked in the same statement as
    /// the insert so concurrent creates cannot overshoot.
    func insertKey(_ key: APIKey, limit: Int?) async throws
    func key(id: KeyID) async throws -> APIKey?
    /// The app-scope keys of an app, oldest first.
    func appKeys(appId: ResourceID) async throws -> [APIKey]
    /// Deletes an app-scope key of the given app; false when there was none.
    func deleteAppKey(id: KeyID, appId: ResourceID) async throws -> Bool
    /// The keys of a custom integration, oldest first.
    func integrationKeys(integrationId: ResourceID) async throws -> [APIKey]
    /// Deletes a key of the given integration; false when there was none.
    func deleteIntegrationKey(id: KeyID, integrationId: ResourceID) async throws -> Bool
    func hasAccountKey() async throws -> Bool
}

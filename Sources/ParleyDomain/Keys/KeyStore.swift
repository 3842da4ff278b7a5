/// Persistence of API keys.
public protocol KeyStore: Sendable {
    /// Inserts a key. With `limitPerApp`, refuses (400) when the app already has that many keys of
    /// the key's scope, checked in the same statement as the insert so concurrent creates cannot
    /// overshoot.
    func insertKey(_ key: APIKey, limitPerApp: Int?) async throws
    func key(id: KeyID) async throws -> APIKey?
    /// The app-scope keys of an app, oldest first.
    func appKeys(appId: ResourceID) async throws -> [APIKey]
    /// Deletes an app-scope key of the given app; false when there was none.
    func deleteAppKey(id: KeyID, appId: ResourceID) async throws -> Bool
    func hasAccountKey() async throws -> Bool
}

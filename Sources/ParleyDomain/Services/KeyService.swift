/// API key use cases: app keys (CreateAppKey …), the bootstrap account key, and resolving a
/// presented key id to its stored key for authentication.
public struct KeyService: Sendable {
    /// "10 keys per app", from the App Keys tag.
    public static let appKeyLimit = 10
    /// HS256 wants a key at least as long as its digest; shorter secrets are refused at bootstrap.
    public static let minimumSecretBytes = 32

    private let store: any KeyStore
    private let apps: AppService
    private let sealer: any SecretSealer
    private let ids: ResourceIDGenerator

    public init(store: any KeyStore, apps: AppService, sealer: any SecretSealer, ids: ResourceIDGenerator) {
        self.store = store
        self.apps = apps
        self.sealer = sealer
        self.ids = ids
    }

    public func createAppKey(appId: ResourceID, displayName: String?) async throws -> IssuedKey {
        guard let displayName else { throw ParleyError.badRequest("displayName is required") }
        try Rules.length(displayName, 1...100, field: "displayName")
        try await apps.requireExists(appId)
        let secret = SecretGenerator.make()
        let key = APIKey(
            id: KeyID(scope: .app, id: ids.next()), appId: appId, displayName: displayName,
            secret: try sealer.seal(secret))
        try await store.insertKey(key, limit: Self.appKeyLimit)
        return IssuedKey(key: key, secret: secret)
    }

    public func listAppKeys(appId: ResourceID) async throws -> [IssuedKey] {
        try await apps.requireExists(appId)
        return try await store.appKeys(appId: appId).map { IssuedKey(key: $0, secret: try sealer.open($0.secret)) }
    }

    public func getAppKey(appId: ResourceID, keyId: String) async throws -> IssuedKey {
        try await apps.requireExists(appId)
        guard let id = KeyID(keyId), id.scope == .app, let key = try await store.key(id: id), key.appId == appId else {
            throw ParleyError.notFound(.appKey)
        }
        return IssuedKey(key: key, secret: try sealer.open(key.secret))
    }

    public func deleteAppKey(appId: ResourceID, keyId: String) async throws {
        try await apps.requireExists(appId)
        guard let id = KeyID(keyId), id.scope == .app, try await store.deleteAppKey(id: id, appId: appId) else {
            throw ParleyError.notFound(.appKey)
        }
    }

    /// "10 keys per custom integration".
    public static let integrationKeyLimit = 10

    /// CreateCustomIntegrationKey: `int_` keys, for custom integrations only.
    public func createIntegrationKey(_ integration: Integration, displayName: String?) async throws -> IssuedKey {
        try Self.requireCustom(integration)
        guard let displayName else { throw ParleyError.badRequest("displayName is required") }
        try Rules.length(displayName, 1...100, field: "displayName")
        let secret = SecretGenerator.make()
        let key = APIKey(
            id: KeyID(scope: .integration, id: ids.next()), appId: integration.appId, integrationId: integration.id,
            displayName: displayName, secret: try sealer.seal(secret))
        try await store.insertKey(key, limit: Self.integrationKeyLimit)
        return IssuedKey(key: key, secret: secret)
    }

    public func listIntegrationKeys(_ integration: Integration) async throws -> [IssuedKey] {
        try Self.requireCustom(integration)
        return try await store.integrationKeys(integrationId: integration.id).map { IssuedKey(key: $0, secret: try sealer.open($0.secret)) }
    }

    public func getIntegrationKey(_ integration: Integration, keyId: String) async throws -> IssuedKey {
        guard let id = KeyID(keyId), id.scope == .integration, let key = try await store.key(id: id), key.integrationId == integration.id else {
            throw ParleyError.notFound(.appKey)
        }
        return IssuedKey(key: key, secret: try sealer.open(key.secret))
    }

    public func deleteIntegrationKey(_ integration: Integration, keyId: String) async throws {
        guard let id = KeyID(keyId), id.scope == .integration, try await store.deleteIntegrationKey(id: id, integrationId: integration.id) else {
            throw ParleyError.notFound(.appKey)
        }
    }

    private static func requireCustom(_ integration: Integration) throws {
        guard integration.type == "custom" else { throw ParleyError.badRequest("API keys are available only for custom integrations") }
    }

    /// Makes a new account key (for `parley keys create-account` and first start).
    public func createAccountKey() async throws -> IssuedKey {
        let secret = SecretGenerator.make()
        let key = APIKey(id: KeyID(scope: .account, id: ids.next()), appId: nil, displayName: "Account key", secret: try sealer.seal(secret))
        try await store.insertKey(key, limit: nil)
        return IssuedKey(key: key, secret: secret)
    }

    /// Makes sure the given account key exists with this secret (bootstrap from the environment).
    /// Returns false when it already existed.
    @discardableResult
    public func ensureAccountKey(id: String, secret: String) async throws -> Bool {
        guard let keyId = KeyID(id), keyId.scope == .account else {
            throw ParleyError.badRequest("The account key id must be act_ followed by 24 hex digits")
        }
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw ParleyError.badRequest("The account key secret must be at least \(Self.minimumSecretBytes) bytes long (HS256 needs a 256-bit key)")
        }
        if let existing = try await store.key(id: keyId) {
            guard sealer.matches(secret, existing.secret) else {
                throw ParleyError.conflict("Account key \(id) already exists with a different secret")
            }
            return false
        }
        try await store.insertKey(APIKey(id: keyId, appId: nil, displayName: "Account key", secret: try sealer.seal(secret)), limit: nil)
        return true
    }

    public func hasAccountKey() async throws -> Bool {
        try await store.hasAccountKey()
    }

    /// The stored key behind a presented key id, or nil.
    public func lookup(_ id: KeyID) async throws -> APIKey? {
        try await store.key(id: id)
    }

    public func matches(_ secret: String, _ key: APIKey) -> Bool {
        sealer.matches(secret, key.secret)
    }

    public func plainSecret(of key: APIKey) throws -> String {
        try sealer.open(key.secret)
    }
}

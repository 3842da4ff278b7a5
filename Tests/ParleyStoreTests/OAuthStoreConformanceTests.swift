import ParleyDomain
import Testing

/// OAuth clients and codes: a code is exchanged once, in the same transaction as its key's insert;
/// a second exchange deletes that key; deleting a client deletes its codes and keys.
@Suite("Store conformance: OAuth")
struct OAuthStoreConformanceTests {
    static let ids = ResourceIDGenerator()
    static let secret = SealedSecret(hash: [1, 2, 3], sealed: [4, 5, 6])

    static func setUp(_ store: any ParleyStore) async throws -> (app: App, client: OAuthClient) {
        let app = App(id: ids.next(), displayName: "Granted")
        try await store.insertApp(app)
        let client = OAuthClient(
            id: ids.next(), name: "Partner", redirectURIs: ["https://partner.example/callback", "app://cb"], secret: secret,
            createdAt: Timestamp(millisecondsSince1970: 1_000))
        try await store.insertOAuthClient(client)
        return (app, client)
    }

    static func code(_ hash: [UInt8], _ client: OAuthClient, _ app: App, expiresAt: Int64 = 10_000) -> OAuthCode {
        OAuthCode(
            hash: hash, clientId: client.id, appId: app.id, redirectURI: "app://cb", redirectURIGiven: true,
            expiresAt: Timestamp(millisecondsSince1970: expiresAt))
    }

    static func key(_ app: App, _ client: OAuthClient) -> APIKey {
        APIKey(id: KeyID(scope: .app, id: ids.next()), appId: app.id, displayName: "OAuth: Partner", secret: secret, oauthClientId: client.id)
    }

    @Test("Clients are stored with their redirect URIs and listed oldest first", arguments: StoreFactory.all)
    func clients(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (_, client) = try await Self.setUp(store)
        #expect(try await store.oauthClient(id: client.id) == client)
        #expect(try await store.oauthClients().contains(client))
        #expect(try await store.oauthClient(id: Self.ids.next()) == nil)
    }

    @Test("A code is exchanged once; a second exchange deletes the key the first issued", arguments: StoreFactory.all)
    func redeemOnce(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (app, client) = try await Self.setUp(store)
        let hash: [UInt8] = [9, 9, 9, 1]
        try await store.insertOAuthCode(Self.code(hash, client, app), forgetBefore: Timestamp(millisecondsSince1970: 0))
        #expect(try await store.oauthCode(hash: hash) == Self.code(hash, client, app))

        let first = Self.key(app, client)
        #expect(try await store.redeemOAuthCode(hash: hash, issuing: first) == .issued)
        #expect(try await store.key(id: first.id) == first)
        #expect(try await store.oauthCode(hash: hash)?.issuedKeyId == first.id)

        let second = Self.key(app, client)
        #expect(try await store.redeemOAuthCode(hash: hash, issuing: second) == .replayed)
        #expect(try await store.key(id: first.id) == nil)
        #expect(try await store.key(id: second.id) == nil)
        #expect(try await store.redeemOAuthCode(hash: [0], issuing: Self.key(app, client)) == .unknown)
    }

    @Test("Of concurrent exchanges of one code one issues; the rest find it spent", arguments: StoreFactory.all)
    func concurrentRedeem(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (app, client) = try await Self.setUp(store)
        let hash: [UInt8] = [7, 7, 7]
        try await store.insertOAuthCode(Self.code(hash, client, app), forgetBefore: Timestamp(millisecondsSince1970: 0))
        let outcomes = try await withThrowingTaskGroup(of: OAuthRedemption.self) { group in
            for _ in 0..<8 { group.addTask { try await store.redeemOAuthCode(hash: hash, issuing: Self.key(app, client)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .issued }.count == 1)
        #expect(outcomes.filter { $0 == .replayed }.count == 7)
    }

    @Test("OAuth keys do not count against the app's key limit; deleting the client deletes its codes and keys", arguments: StoreFactory.all)
    func deleteClient(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (app, client) = try await Self.setUp(store)
        let hash: [UInt8] = [5, 5]
        try await store.insertOAuthCode(Self.code(hash, client, app), forgetBefore: Timestamp(millisecondsSince1970: 0))
        let issued = Self.key(app, client)
        #expect(try await store.redeemOAuthCode(hash: hash, issuing: issued) == .issued)
        let plain = APIKey(id: KeyID(scope: .app, id: Self.ids.next()), appId: app.id, displayName: "Backend", secret: Self.secret)
        try await store.insertKey(plain, limit: 1)
        #expect(try await store.appKeys(appId: app.id).count == 2)

        #expect(try await store.deleteOAuthClient(id: client.id))
        #expect(try await store.key(id: issued.id) == nil)
        #expect(try await store.key(id: plain.id) == plain)
        #expect(try await store.oauthCode(hash: hash) == nil)
        #expect(try await store.deleteOAuthClient(id: client.id) == false)
    }

    @Test("Codes that expired before the given time are forgotten when a new one is stored", arguments: StoreFactory.all)
    func forgetExpired(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (app, client) = try await Self.setUp(store)
        try await store.insertOAuthCode(Self.code([1], client, app, expiresAt: 5_000), forgetBefore: Timestamp(millisecondsSince1970: 0))
        try await store.insertOAuthCode(Self.code([2], client, app, expiresAt: 50_000), forgetBefore: Timestamp(millisecondsSince1970: 6_000))
        #expect(try await store.oauthCode(hash: [1]) == nil)
        #expect(try await store.oauthCode(hash: [2]) != nil)
    }
}

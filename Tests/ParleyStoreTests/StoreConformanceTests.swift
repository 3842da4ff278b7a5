import Foundation
import ParleyDomain
import Testing

/// The contract every `ParleyStore` must keep, whatever engine is behind it.
@Suite("Store conformance")
struct StoreConformanceTests {
    let ids = ResourceIDGenerator()

    func makeApp(_ store: any ParleyStore, _ name: String = "App") async throws -> App {
        let app = App(id: ids.next(), displayName: name, settings: AppSettings(), metadata: Metadata(["k": .string("v")]))
        try await store.insertApp(app)
        return app
    }

    func key(_ scope: KeyScope, appId: ResourceID?) -> APIKey {
        APIKey(id: KeyID(scope: scope, id: ids.next()), appId: appId, displayName: "k", secret: SealedSecret(hash: [1, 2], sealed: [3, 4]))
    }

    @Test("Apps round-trip, update in place and delete", arguments: StoreFactory.all)
    func appsRoundTrip(factory: StoreFactory) async throws {
        let store = try await factory.make()
        var app = try await makeApp(store, "First")
        app.settings.useAnimalNames = true
        #expect(try await store.app(id: app.id)?.displayName == "First")
        let updated = try await store.updateApp(id: app.id) { $0.displayName = "Renamed"; $0.settings.echoPostback = false }
        #expect(updated?.displayName == "Renamed")
        #expect(try await store.app(id: app.id)?.settings.echoPostback == false)
        #expect(try await store.app(id: app.id)?.metadata == Metadata(["k": .string("v")]))
        #expect(try await store.updateApp(id: ids.next()) { _ in } == nil)
        #expect(try await store.deleteApp(id: app.id))
        #expect(try await store.deleteApp(id: app.id) == false)
        #expect(try await store.app(id: app.id) == nil)
    }

    @Test("A failing change inside updateApp writes nothing", arguments: StoreFactory.all)
    func updateIsAtomic(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store, "Kept")
        await #expect(throws: ParleyError.self) {
            _ = try await store.updateApp(id: app.id) { app in
                app.displayName = "Lost"
                throw ParleyError.badRequest("no")
            }
        }
        #expect(try await store.app(id: app.id)?.displayName == "Kept")
    }

    @Test("Paging walks 61 apps forwards and backwards with correct edges", arguments: StoreFactory.all)
    func paging(factory: StoreFactory) async throws {
        let store = try await factory.make()
        var all: [ResourceID] = []
        for index in 0..<61 { all.append(try await makeApp(store, "App \(index)").id) }

        let first = try await store.apps(page: PageRequest(size: 20))
        #expect(first.items.map(\.id) == Array(all[0..<20]))
        #expect(first.hasNext && !first.hasPrevious)

        let middle = try await store.apps(page: PageRequest(cursor: .after(all[19]), size: 20))
        #expect(middle.items.map(\.id) == Array(all[20..<40]))
        #expect(middle.hasNext && middle.hasPrevious)

        let last = try await store.apps(page: PageRequest(cursor: .after(all[39]), size: 21))
        #expect(last.items.map(\.id) == Array(all[40..<61]))
        #expect(!last.hasNext && last.hasPrevious)

        let back = try await store.apps(page: PageRequest(cursor: .before(all[40]), size: 20))
        #expect(back.items.map(\.id) == Array(all[20..<40]))
        #expect(back.hasNext && back.hasPrevious)

        let start = try await store.apps(page: PageRequest(cursor: .before(all[5]), size: 20))
        #expect(start.items.map(\.id) == Array(all[0..<5]))
        #expect(start.hasNext && !start.hasPrevious)
    }

    @Test("The per-app key limit holds under concurrent inserts", arguments: StoreFactory.all)
    func keyLimit(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store)
        let keys = (0..<15).map { _ in key(.app, appId: app.id) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for key in keys {
                group.addTask { (try? await store.insertKey(key, limit: 10)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 10)
        #expect(try await store.appKeys(appId: app.id).count == 10)
        // Account keys are not counted against any app and have no limit.
        try await store.insertKey(key(.account, appId: nil), limit: nil)
        #expect(try await store.hasAccountKey())
    }

    @Test("Keys are found by id, listed per app, deleted only from their own app", arguments: StoreFactory.all)
    func keys(factory: StoreFactory) async throws {
        let store = try await factory.make()
        #expect(try await store.hasAccountKey() == false)
        let app = try await makeApp(store)
        let other = try await makeApp(store)
        let appKey = key(.app, appId: app.id)
        try await store.insertKey(appKey, limit: 10)
        #expect(try await store.key(id: appKey.id) == appKey)
        #expect(try await store.deleteAppKey(id: appKey.id, appId: other.id) == false)
        #expect(try await store.deleteAppKey(id: appKey.id, appId: app.id))
        #expect(try await store.key(id: appKey.id) == nil)
    }

    @Test("Users: unique externalId per app and brand, lookup by id or externalId", arguments: StoreFactory.all)
    func users(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store)
        let other = try await makeApp(store)
        let user = User(id: ids.next(), appId: app.id, externalId: "ext", signedUpAt: Timestamp(millisecondsSince1970: 1_600_000_000_123),
                        profile: Profile(givenName: "Ann"), metadata: Metadata(["n": .integer(1)]), authenticated: true)
        try await store.insertUser(user)
        await #expect(throws: ParleyError.conflict("User already exists")) {
            try await store.insertUser(User(id: self.ids.next(), appId: app.id, externalId: "ext", signedUpAt: .now()))
        }
        try await store.insertUser(User(id: ids.next(), appId: other.id, externalId: "ext", signedUpAt: .now()))
        try await store.insertUser(User(id: ids.next(), appId: app.id, externalId: "ext", brandId: "42", signedUpAt: .now()))

        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: user.id.rawValue)) == user)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "ext")) == user)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "ext", brandId: "42"))?.brandId == "42")
        #expect(try await store.user(UserLookup(appId: other.id, idOrExternalId: user.id.rawValue)) == nil)

        let updated = try await store.updateUser(UserLookup(appId: app.id, idOrExternalId: "ext")) { $0.profile.surname = "Lee" }
        #expect(updated?.profile == Profile(givenName: "Ann", surname: "Lee"))
        #expect(try await store.deleteUser(UserLookup(appId: app.id, idOrExternalId: "ext"), events: { _ in [] })?.id == user.id)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "ext")) == nil)
    }

    @Test("Identities are searchable and replaced on update", arguments: StoreFactory.all)
    func identities(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store)
        let user = User(id: ids.next(), appId: app.id, signedUpAt: .now())
        try await store.insertUser(user)
        try await store.addIdentity(Identity(type: "email", value: "a@b.co", verification: "sso"), userId: user.id)
        let found = try await store.users(appId: app.id, identityType: "email", identityValue: "a@b.co")
        #expect(found.map(\.id) == [user.id])
        #expect(found.first?.identities == [Identity(type: "email", value: "a@b.co", verification: "sso")])
        _ = try await store.updateUser(UserLookup(appId: app.id, idOrExternalId: user.id.rawValue)) { $0.identities = [] }
        #expect(try await store.users(appId: app.id, identityType: "email", identityValue: "a@b.co").isEmpty)
        await #expect(throws: ParleyError.self) { try await store.addIdentity(Identity(type: "email", value: "x@y.z"), userId: self.ids.next()) }
    }

    @Test("A key looked up is gone once it, or its integration, is deleted", arguments: StoreFactory.all)
    func deletedKeysStayDeleted(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store)
        let integration = Integration(id: ids.next(), appId: app.id, type: "custom", settings: [:], secrets: nil)
        try await store.insertIntegration(integration)
        var integrationKey = key(.integration, appId: app.id)
        integrationKey.integrationId = integration.id
        let second = APIKey(
            id: KeyID(scope: .integration, id: ids.next()), appId: app.id, integrationId: integration.id, displayName: "k",
            secret: SealedSecret(hash: [1], sealed: [2]))
        try await store.insertKey(integrationKey, limit: 10)
        try await store.insertKey(second, limit: 10)
        #expect(try await store.key(id: integrationKey.id) == integrationKey)
        #expect(try await store.key(id: second.id) == second)
        #expect(try await store.deleteIntegrationKey(id: integrationKey.id, integrationId: integration.id))
        #expect(try await store.key(id: integrationKey.id) == nil)
        #expect(try await store.key(id: second.id) == second)
        #expect(try await store.deleteIntegration(appId: app.id, id: integration.id))
        #expect(try await store.key(id: second.id) == nil)
    }

    @Test("Deleting an app removes its keys and users", arguments: StoreFactory.all)
    func cascade(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store)
        let appKey = key(.app, appId: app.id)
        try await store.insertKey(appKey, limit: nil)
        let user = User(id: ids.next(), appId: app.id, externalId: "gone", signedUpAt: .now())
        try await store.insertUser(user)
        // Looked up first, as authentication does: a store that caches keys must forget it.
        #expect(try await store.key(id: appKey.id) == appKey)
        #expect(try await store.deleteApp(id: app.id))
        #expect(try await store.key(id: appKey.id) == nil)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: user.id.rawValue)) == nil)
    }

    @Test("What was committed is there after reopening", arguments: StoreFactory.all.filter { $0.reopen != nil })
    func reopen(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = try await makeApp(store, "Persisted")
        let reopened = try await factory.reopen!(store)
        #expect(try await reopened.app(id: app.id)?.displayName == "Persisted")
    }
}

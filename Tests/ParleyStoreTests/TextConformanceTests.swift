import Foundation
import ParleyDomain
import Testing

/// Text the engines store differently: PostgreSQL's text cannot hold U+0000, SQLite's can. A
/// lookup by such a key must still find nobody (404 upstream), never fail (500).
@Suite("Store conformance: text")
struct TextConformanceTests {
    let ids = ResourceIDGenerator()

    @Test("A user lookup by an externalId or brandId holding U+0000 finds nobody", arguments: StoreFactory.all)
    func nulInLookups(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "a\u{0}b")) == nil)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "a", brandId: "\u{0}")) == nil)
        #expect(try await store.updateUser(UserLookup(appId: app.id, idOrExternalId: "a\u{0}b")) { _ in } == nil)
        // Not even the user whose key is the text before the NUL.
        try await store.insertUser(User(id: ids.next(), appId: app.id, externalId: "a", signedUpAt: .now()))
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "a\u{0}b")) == nil)
        #expect(try await store.deleteUser(UserLookup(appId: app.id, idOrExternalId: "a\u{0}")) { _ in [] } == nil)
        #expect(try await store.users(appId: app.id, identityType: "email", identityValue: "a\u{0}b").isEmpty)
        #expect(try await store.user(UserLookup(appId: app.id, idOrExternalId: "a")) != nil)
    }
}

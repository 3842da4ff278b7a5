import Foundation
import GRDB
import ParleyDomain
@testable import ParleySQLite
import ParleyTestSupport
import Testing

/// A stored row is outside input too: a file edited by hand or damaged on disk. Reading one Parley
/// cannot understand is an error (a contained 500), never a stopped process.
@Suite("Corrupt stored rows")
struct CorruptRowTests {
    let ids = ResourceIDGenerator()

    @Test("Values of the wrong type in a row are errors when read, on every path (copied rows, cursors, direct statements)")
    func wrongTypes() async throws {
        let store = try SQLiteStore(path: Scratch.file("corrupt.sqlite"))
        try await store.migrate()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let integrationId = ids.next()
        let webhook = Webhook(
            id: ids.next(), integrationId: integrationId, target: "https://example.com/", triggers: [.userRemove],
            secret: SealedSecret(hash: [], sealed: [1]))
        try await store.insertIntegration(Integration(id: integrationId, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook]))
        let user = User(id: ids.next(), appId: app.id, externalId: "steve", signedUpAt: .now())
        try await store.insertUser(user)
        let events = EventFactory(ids: ids)
        _ = try await store.deleteUser(UserLookup(appId: app.id, idOrExternalId: "steve")) { [events.userRemoved($0)] }
        #expect(try await store.dueBatches(now: Timestamp(millisecondsSince1970: Int64.max / 2), batchSize: 10, limit: 10).count == 1)

        // SQLite keeps a text that does not look like a number as text, whatever the column's
        // type. One damage at a time, so each read path is shown to fail on its own.
        let due = Timestamp(millisecondsSince1970: Int64.max / 2)
        try await store.write { db in try db.execute(sql: "UPDATE deliveries SET attempts = 'many'") }
        await #expect(throws: (any Error).self) { try await store.dueBatches(now: due, batchSize: 10, limit: 10) }
        try await store.write { db in
            try db.execute(sql: "UPDATE deliveries SET attempts = 0")
            try db.execute(sql: "UPDATE webhooks SET include_full_user = X'00FF'")
        }
        await #expect(throws: (any Error).self) { try await store.integration(appId: app.id, id: integrationId) }
        await #expect(throws: (any Error).self) { try await store.dueBatches(now: due, batchSize: 10, limit: 10) }
        try await store.write { db in try db.execute(sql: "UPDATE apps SET display_name = X'FFFE'") }
        // Text that is not UTF-8 is read as it is (with replacement characters), not refused.
        #expect(try await store.app(id: app.id) != nil)
    }
}

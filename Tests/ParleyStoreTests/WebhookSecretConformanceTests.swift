import Foundation
import GRDB
import ParleyDomain
@testable import ParleyPostgres
@testable import ParleySQLite
import PostgresNIO
import Testing

/// Webhook secrets are stored sealed; rows written before that (the `secret` column in the clear)
/// are sealed by the server at start-up through `sealClearWebhookSecrets`.
@Suite("Store conformance: webhook secrets")
struct WebhookSecretConformanceTests {
    let ids = ResourceIDGenerator()

    /// Statements the protocol has no call for: here, turning a row back into one an older version wrote.
    static func execute(_ sql: String, on store: any ParleyStore) async throws {
        switch store {
        case let sqlite as SQLiteStore: try await sqlite.write { db in try db.execute(sql: sql) }
        case let postgres as PostgresStore: try await postgres.write { connection in _ = try await connection.run(PostgresQuery(unsafeSQL: sql)) }
        default: Issue.record("no raw SQL for \(type(of: store))")
        }
    }

    static func clearSecretColumn(_ store: any ParleyStore, webhookId: ResourceID) async throws -> String? {
        switch store {
        case let sqlite as SQLiteStore:
            return try await sqlite.read { db in try String.fetchOne(db, sql: "SELECT secret FROM webhooks WHERE id = ?", arguments: [webhookId.rawValue]) }
        case let postgres as PostgresStore:
            return try await postgres.read { connection in
                try await connection.row("SELECT secret FROM webhooks WHERE id = \(webhookId.rawValue)").map { try $0("secret", as: String.self) }
            }
        default: return nil
        }
    }

    @Test("A webhook is stored with its sealed secret only; a row an older version wrote in the clear is sealed once, then read", arguments: StoreFactory.all)
    func sealing(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let integrationId = ids.next()
        let sealed = SealedSecret(hash: [], sealed: Array("sealed bytes".utf8))
        let webhook = Webhook(id: ids.next(), integrationId: integrationId, target: "https://example.com/", triggers: [], secret: sealed)
        let older = Webhook(id: ids.next(), integrationId: integrationId, target: "https://example.com/", triggers: [], secret: sealed)
        try await store.insertIntegration(
            Integration(id: integrationId, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook, older]))
        #expect(try await store.integration(appId: app.id, id: integrationId)?.webhooks.map(\.secret) == [sealed, sealed])
        #expect(try await Self.clearSecretColumn(store, webhookId: webhook.id) == "")

        // As a version before v7 left it: the secret in the clear, nothing sealed.
        try await Self.execute("UPDATE webhooks SET secret = 'the clear secret', secret_sealed = NULL WHERE id = '\(older.id)'", on: store)
        await #expect(throws: (any Error).self) { try await store.integration(appId: app.id, id: integrationId) }

        let count = try await store.sealClearWebhookSecrets { SealedSecret(hash: [], sealed: Array("sealed:\($0)".utf8)) }
        #expect(count == 1)
        let webhooks = try await store.integration(appId: app.id, id: integrationId)?.webhooks ?? []
        #expect(webhooks.map(\.secret.sealed) == [Array("sealed bytes".utf8), Array("sealed:the clear secret".utf8)])
        #expect(try await Self.clearSecretColumn(store, webhookId: older.id) == "")
        #expect(try await store.sealClearWebhookSecrets { _ in sealed } == 0)
    }
}

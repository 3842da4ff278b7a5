import Foundation
import GRDB
import ParleyDomain

extension SQLiteStore {
    public func insertKey(_ key: APIKey, limit: Int?) async throws {
        try await write { db in
            guard let limit else {
                try Self.insertKeyRow(db, key)
                return
            }
            let arguments = Self.keyArguments(key)
            // The count and the insert are one statement: two concurrent creates cannot both pass.
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, scope, app_id, integration_id, display_name, secret_hash, secret_sealed, oauth_client_id)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?
                    WHERE (SELECT count(*) FROM api_keys
                           WHERE app_id = ? AND scope = ? AND integration_id IS ? AND oauth_client_id IS NULL) < ?
                    """, arguments: arguments + [key.appId?.rawValue, key.scope.rawValue, key.integrationId?.rawValue, limit])
            if db.changesCount == 0 {
                let owner = key.scope == .integration ? "A custom integration" : "An app"
                throw ParleyError.badRequest("\(owner) can have at most \(limit) keys")
            }
        }
    }

    /// A key's row, inserted within the caller's transaction (an OAuth code's exchange inserts one too).
    static func insertKeyRow(_ db: Database, _ key: APIKey) throws {
        try db.execute(
            sql: """
                INSERT INTO api_keys (id, scope, app_id, integration_id, display_name, secret_hash, secret_sealed, oauth_client_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: keyArguments(key))
    }

    private static func keyArguments(_ key: APIKey) -> StatementArguments {
        [
            key.id.rawValue, key.scope.rawValue, key.appId?.rawValue, key.integrationId?.rawValue,
            key.displayName, Data(key.secret.hash), Data(key.secret.sealed), key.oauthClientId?.rawValue,
        ]
    }

    public func key(id: KeyID) async throws -> APIKey? {
        try await keyCache.value(id) {
            try readStatement { db in
                try Self.decodeOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE id = ?"), arguments: [id.rawValue], Self.key)
            }
        }
    }

    public func appKeys(appId: ResourceID) async throws -> [APIKey] {
        try await read { db in
            try Self.decodeAll(
                db, sql: "SELECT * FROM api_keys WHERE app_id = ? AND scope = 'app' ORDER BY id", arguments: [appId.rawValue], Self.key)
        }
    }

    public func deleteAppKey(id: KeyID, appId: ResourceID) async throws -> Bool {
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(
                sql: "DELETE FROM api_keys WHERE id = ? AND app_id = ? AND scope = 'app'", arguments: [id.rawValue, appId.rawValue])
            return db.changesCount > 0
        }
    }

    public func integrationKeys(integrationId: ResourceID) async throws -> [APIKey] {
        try await read { db in
            try Self.decodeAll(
                db, sql: "SELECT * FROM api_keys WHERE integration_id = ? AND scope = 'integration' ORDER BY id",
                arguments: [integrationId.rawValue], Self.key)
        }
    }

    public func deleteIntegrationKey(id: KeyID, integrationId: ResourceID) async throws -> Bool {
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(
                sql: "DELETE FROM api_keys WHERE id = ? AND integration_id = ? AND scope = 'integration'",
                arguments: [id.rawValue, integrationId.rawValue])
            return db.changesCount > 0
        }
    }

    public func hasAccountKey() async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_keys WHERE scope = 'account')") ?? false
        }
    }

    static func key(_ row: Row) throws -> APIKey {
        let text: String = try row.decode(forColumn: "id")
        guard let id = KeyID(text) else { throw DatabaseError(message: "corrupt key id \(text)") }
        let hash: Data = try row.decode(forColumn: "secret_hash")
        let sealed: Data = try row.decode(forColumn: "secret_sealed")
        return APIKey(
            id: id,
            appId: try (try row.decode(forColumn: "app_id") as String?).map(resourceID),
            integrationId: try (try row.decode(forColumn: "integration_id") as String?).map(resourceID),
            displayName: try row.decode(forColumn: "display_name"),
            secret: SealedSecret(hash: Array(hash), sealed: Array(sealed)),
            oauthClientId: try (try row.decode(forColumn: "oauth_client_id") as String?).map(resourceID))
    }
}

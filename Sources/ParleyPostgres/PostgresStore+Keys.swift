import Foundation
import ParleyDomain
import PostgresNIO

extension PostgresStore {
    public func insertKey(_ key: APIKey, limit: Int?) async throws {
        try await write { connection in
            let insert = try Self.insertKeyQuery(key)
            guard let limit else {
                try await connection.run(insert)
                return
            }
            // Under READ COMMITTED two transactions could both count 9 and both insert. Locking the
            // owner's row first queues concurrent creates for one owner, so each counts what the
            // one before it committed. (NO KEY UPDATE leaves the row's foreign-key users alone.)
            if let integrationId = key.integrationId {
                try await connection.run("SELECT 1 FROM integrations WHERE id = \(integrationId.rawValue) FOR NO KEY UPDATE")
            } else if let appId = key.appId {
                try await connection.run("SELECT 1 FROM apps WHERE id = \(appId.rawValue) FOR NO KEY UPDATE")
            }
            let count = try await connection.row(
                """
                SELECT count(*) AS n FROM api_keys
                WHERE app_id = \(key.appId?.rawValue) AND scope = \(key.scope.rawValue)
                  AND integration_id IS NOT DISTINCT FROM \(key.integrationId?.rawValue) AND oauth_client_id IS NULL
                """)?("n", as: Int.self) ?? 0
            guard count < limit else {
                let owner = key.scope == .integration ? "A custom integration" : "An app"
                throw ParleyError.badRequest("\(owner) can have at most \(limit) keys")
            }
            try await connection.run(insert)
        }
    }

    /// A key's insert, run in the caller's transaction (an OAuth code's exchange inserts one too).
    static func insertKeyQuery(_ key: APIKey) throws -> PostgresQuery {
        try """
            INSERT INTO api_keys (id, scope, app_id, integration_id, display_name, secret_hash, secret_sealed, oauth_client_id)
            VALUES (\(key.id.rawValue), \(key.scope.rawValue), \(key.appId?.rawValue), \(key.integrationId?.rawValue),
                    \(key.displayName), \(Data(key.secret.hash)), \(Data(key.secret.sealed)), \(key.oauthClientId?.rawValue))
            """
    }

    public func key(id: KeyID) async throws -> APIKey? {
        try await caches.keys.value(id) {
            try await read { connection in
                try await connection.row("SELECT * FROM api_keys WHERE id = \(id.rawValue)").map(Self.key)
            }
        }
    }

    public func appKeys(appId: ResourceID) async throws -> [APIKey] {
        try await read { connection in
            try await connection.rows("SELECT * FROM api_keys WHERE app_id = \(appId.rawValue) AND scope = 'app' ORDER BY id").map(Self.key)
        }
    }

    public func deleteAppKey(id: KeyID, appId: ResourceID) async throws -> Bool {
        defer { caches.keys.invalidate() }
        return try await write { connection in
            try await connection.run(
                "DELETE FROM api_keys WHERE id = \(id.rawValue) AND app_id = \(appId.rawValue) AND scope = 'app' RETURNING id") > 0
        }
    }

    public func integrationKeys(integrationId: ResourceID) async throws -> [APIKey] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM api_keys WHERE integration_id = \(integrationId.rawValue) AND scope = 'integration' ORDER BY id"
            ).map(Self.key)
        }
    }

    public func deleteIntegrationKey(id: KeyID, integrationId: ResourceID) async throws -> Bool {
        defer { caches.keys.invalidate() }
        return try await write { connection in
            try await connection.run(
                """
                DELETE FROM api_keys WHERE id = \(id.rawValue) AND integration_id = \(integrationId.rawValue) AND scope = 'integration'
                RETURNING id
                """) > 0
        }
    }

    public func hasAccountKey() async throws -> Bool {
        try await read { connection in
            try await connection.exists("SELECT 1 FROM api_keys WHERE scope = 'account' LIMIT 1")
        }
    }

    static func key(_ row: Columns) throws -> APIKey {
        let text = try row("id", as: String.self)
        guard let id = KeyID(text) else { throw CorruptRow("corrupt key id \(text)") }
        return APIKey(
            id: id, appId: try row.optionalID("app_id"), integrationId: try row.optionalID("integration_id"),
            displayName: try row("display_name"),
            secret: SealedSecret(hash: Array(try row("secret_hash", as: Data.self)), sealed: Array(try row("secret_sealed", as: Data.self))),
            oauthClientId: try row.optionalID("oauth_client_id"))
    }
}

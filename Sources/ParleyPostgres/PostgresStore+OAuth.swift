import Foundation
import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertOAuthClient(_ client: OAuthClient) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO oauth_clients (id, name, redirect_uris, secret_hash, secret_sealed, created_at)
                VALUES (\(client.id.rawValue), \(client.name), \(try JSONColumn.encode(client.redirectURIs)), \(Data(client.secret.hash)),
                        \(Data(client.secret.sealed)), \(client.createdAt.millisecondsSince1970))
                """)
        }
    }

    public func oauthClient(id: ResourceID) async throws -> OAuthClient? {
        try await read { connection in
            try await connection.row("SELECT * FROM oauth_clients WHERE id = \(id.rawValue)").map(Self.oauthClient)
        }
    }

    public func oauthClients() async throws -> [OAuthClient] {
        try await read { connection in
            try await connection.rows("SELECT * FROM oauth_clients ORDER BY created_at, id").map(Self.oauthClient)
        }
    }

    public func deleteOAuthClient(id: ResourceID) async throws -> Bool {
        // Its keys go with it (ON DELETE CASCADE); api_keys' trigger tells the other nodes.
        defer { caches.keys.invalidate() }
        return try await write { connection in
            try await connection.run("DELETE FROM oauth_clients WHERE id = \(id.rawValue) RETURNING id") > 0
        }
    }

    public func insertOAuthCode(_ code: OAuthCode, forgetBefore: Timestamp) async throws {
        try await write { connection in
            try await connection.run("DELETE FROM oauth_codes WHERE expires_at < \(forgetBefore.millisecondsSince1970)")
            try await connection.run(
                """
                INSERT INTO oauth_codes (hash, client_id, app_id, redirect_uri, redirect_uri_given, expires_at, issued_key_id)
                VALUES (\(Data(code.hash)), \(code.clientId.rawValue), \(code.appId.rawValue), \(code.redirectURI), \(code.redirectURIGiven),
                        \(code.expiresAt.millisecondsSince1970), NULL)
                """)
        }
    }

    public func oauthCode(hash: [UInt8]) async throws -> OAuthCode? {
        try await read { connection in
            try await connection.row("SELECT * FROM oauth_codes WHERE hash = \(Data(hash))").map(Self.oauthCode)
        }
    }

    public func redeemOAuthCode(hash: [UInt8], issuing key: APIKey) async throws -> OAuthRedemption {
        defer { caches.keys.invalidate() }
        return try await write { connection in
            // The row lock taken by the UPDATE makes a concurrent exchange of the same code wait,
            // then find it spent.
            let claimed = try await connection.run(
                "UPDATE oauth_codes SET issued_key_id = \(key.id.rawValue) WHERE hash = \(Data(hash)) AND issued_key_id IS NULL RETURNING hash")
            if claimed == 1 {
                try await connection.run(try Self.insertKeyQuery(key))
                return .issued
            }
            guard let issued = try await connection.row("SELECT issued_key_id FROM oauth_codes WHERE hash = \(Data(hash))"),
                let keyId = try issued("issued_key_id", as: String?.self)
            else { return .unknown }
            try await connection.run("DELETE FROM api_keys WHERE id = \(keyId)")
            return .replayed
        }
    }

    static func oauthClient(_ row: Columns) throws -> OAuthClient {
        OAuthClient(
            id: try row.id("id"), name: try row("name"), redirectURIs: try row.json([String].self, "redirect_uris"),
            secret: SealedSecret(hash: Array(try row("secret_hash", as: Data.self)), sealed: Array(try row("secret_sealed", as: Data.self))),
            createdAt: try row.timestamp("created_at"))
    }

    static func oauthCode(_ row: Columns) throws -> OAuthCode {
        let issued = try row("issued_key_id", as: String?.self)
        return OAuthCode(
            hash: Array(try row("hash", as: Data.self)), clientId: try row.id("client_id"), appId: try row.id("app_id"),
            redirectURI: try row("redirect_uri"), redirectURIGiven: try row("redirect_uri_given"), expiresAt: try row.timestamp("expires_at"),
            issuedKeyId: try issued.map { text in
                guard let id = KeyID(text) else { throw CorruptRow("corrupt key id \(text)") }
                return id
            })
    }
}

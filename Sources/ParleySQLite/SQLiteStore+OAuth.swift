import Foundation
import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertOAuthClient(_ client: OAuthClient) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO oauth_clients (id, name, redirect_uris, secret_hash, secret_sealed, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    client.id.rawValue, client.name, try JSONColumn.encode(client.redirectURIs), Data(client.secret.hash),
                    Data(client.secret.sealed), client.createdAt.millisecondsSince1970,
                ])
        }
    }

    public func oauthClient(id: ResourceID) async throws -> OAuthClient? {
        try readStatement { db in
            try Self.decodeOne(db, sql: "SELECT * FROM oauth_clients WHERE id = ?", arguments: [id.rawValue], Self.oauthClient)
        }
    }

    public func oauthClients() async throws -> [OAuthClient] {
        try await read { db in
            try Self.decodeAll(db, sql: "SELECT * FROM oauth_clients ORDER BY created_at, id", Self.oauthClient)
        }
    }

    public func deleteOAuthClient(id: ResourceID) async throws -> Bool {
        // Its keys go with it (ON DELETE CASCADE): the cached copies must too.
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(sql: "DELETE FROM oauth_clients WHERE id = ?", arguments: [id.rawValue])
            return db.changesCount > 0
        }
    }

    public func insertOAuthCode(_ code: OAuthCode, forgetBefore: Timestamp) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM oauth_codes WHERE expires_at < ?", arguments: [forgetBefore.millisecondsSince1970])
            try db.execute(
                sql: """
                    INSERT INTO oauth_codes (hash, client_id, app_id, redirect_uri, redirect_uri_given, expires_at, issued_key_id)
                    VALUES (?, ?, ?, ?, ?, ?, NULL)
                    """,
                arguments: [
                    Data(code.hash), code.clientId.rawValue, code.appId.rawValue, code.redirectURI, code.redirectURIGiven,
                    code.expiresAt.millisecondsSince1970,
                ])
        }
    }

    public func oauthCode(hash: [UInt8]) async throws -> OAuthCode? {
        try readStatement { db in
            try Self.decodeOne(db, sql: "SELECT * FROM oauth_codes WHERE hash = ?", arguments: [Data(hash)], Self.oauthCode)
        }
    }

    public func redeemOAuthCode(hash: [UInt8], issuing key: APIKey) async throws -> OAuthRedemption {
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(
                sql: "UPDATE oauth_codes SET issued_key_id = ? WHERE hash = ? AND issued_key_id IS NULL",
                arguments: [key.id.rawValue, Data(hash)])
            if db.changesCount == 1 {
                try Self.insertKeyRow(db, key)
                return .issued
            }
            guard let issued = try String.fetchOne(db, sql: "SELECT issued_key_id FROM oauth_codes WHERE hash = ?", arguments: [Data(hash)])
            else { return .unknown }
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ?", arguments: [issued])
            return .replayed
        }
    }

    static func oauthClient(_ row: Row) throws -> OAuthClient {
        OAuthClient(
            id: try resourceID(try row.decode(forColumn: "id")), name: try row.decode(forColumn: "name"),
            redirectURIs: try JSONColumn.decode([String].self, try row.decode(forColumn: "redirect_uris")),
            secret: SealedSecret(
                hash: Array(try row.decode(forColumn: "secret_hash") as Data), sealed: Array(try row.decode(forColumn: "secret_sealed") as Data)),
            createdAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "created_at")))
    }

    static func oauthCode(_ row: Row) throws -> OAuthCode {
        let issued: String? = try row.decode(forColumn: "issued_key_id")
        return OAuthCode(
            hash: Array(try row.decode(forColumn: "hash") as Data), clientId: try resourceID(try row.decode(forColumn: "client_id")),
            appId: try resourceID(try row.decode(forColumn: "app_id")), redirectURI: try row.decode(forColumn: "redirect_uri"),
            redirectURIGiven: try row.decode(forColumn: "redirect_uri_given"),
            expiresAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "expires_at")),
            issuedKeyId: try issued.map { text in
                guard let id = KeyID(text) else { throw DatabaseError(message: "corrupt key id \(text)") }
                return id
            })
    }
}

import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertUser(_ user: User) async throws {
        try await write { db in
            try Self.conflictOnDuplicate("User already exists") {
                try db.execute(
                    sql: """
                        INSERT INTO users (id, app_id, external_id, zendesk_id, brand_id, signed_up_at, to_be_retained,
                                           profile, metadata, authenticated)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: try Self.columns(user))
            }
            try Self.writeIdentities(db, user)
        }
    }

    public func user(_ lookup: UserLookup) async throws -> User? {
        try await read { db in try Self.fetchUser(db, lookup) }
    }

    public func users(appId: ResourceID, identityType: String, identityValue: String) async throws -> [User] {
        guard !identityValue.utf8.contains(0), !identityType.utf8.contains(0) else { return [] }
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT users.* FROM user_identities JOIN users ON users.id = user_identities.user_id
                    WHERE user_identities.app_id = ? AND user_identities.type = ? AND user_identities.value = ?
                    ORDER BY users.id
                    """, arguments: [appId.rawValue, identityType, identityValue])
            return try rows.map { try Self.user(db, $0) }
        }
    }

    public func updateUser(
        _ lookup: UserLookup, _ change: @escaping @Sendable (inout User) throws -> Void, events: @escaping @Sendable (_ before: User, _ after: User) -> [OutboxEvent]
    ) async throws -> User? {
        try await write { db in
            guard var user = try Self.fetchUser(db, lookup) else { return nil }
            let before = user
            try change(&user)
            try db.execute(
                sql: """
                    UPDATE users SET signed_up_at = ?, to_be_retained = ?, profile = ?, metadata = ?, authenticated = ?,
                                     zendesk_id = ?
                    WHERE id = ?
                    """,
                arguments: [
                    user.signedUpAt.millisecondsSince1970, user.toBeRetained, try JSONColumn.encode(user.profile),
                    try JSONColumn.encode(user.metadata), user.authenticated, user.zendeskId, user.id.rawValue,
                ])
            if user.identities != before.identities {
                try db.execute(sql: "DELETE FROM user_identities WHERE user_id = ?", arguments: [user.id.rawValue])
                try Self.writeIdentities(db, user)
            }
            try Self.record(db, events(before, user))
            return user
        }
    }

    public func deleteUser(_ lookup: UserLookup, events: @escaping @Sendable (User) -> [OutboxEvent]) async throws -> User? {
        try await write { db in
            guard let user = try Self.fetchUser(db, lookup) else { return nil }
            // "Delete a user, its clients and its conversation history": its personal conversations
            // go too (with their messages and attachments); group conversations lose a participant.
            try db.execute(
                sql: """
                    DELETE FROM conversations WHERE type = 'personal'
                      AND id IN (SELECT conversation_id FROM participants WHERE user_id = ?)
                    """,
                arguments: [user.id.rawValue])
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [user.id.rawValue])
            try Self.record(db, events(user))
            return user
        }
    }

    public func addIdentity(_ identity: Identity, userId: ResourceID) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO user_identities (user_id, app_id, type, value, verification, position)
                    SELECT id, app_id, ?, ?, ?,
                           (SELECT ifnull(max(position), -1) + 1 FROM user_identities WHERE user_id = ?)
                    FROM users WHERE id = ?
                    """,
                arguments: [identity.type, identity.value, identity.verification, userId.rawValue, userId.rawValue])
            if db.changesCount == 0 { throw ParleyError.notFound(.user) }
        }
    }

    /// One indexed query: the id match is preferred over an externalId match.
    static func fetchUser(_ db: Database, _ lookup: UserLookup) throws -> User? {
        let key = lookup.idOrExternalId
        // No stored text holds U+0000, so such a key names nobody. (SQLite would compare only the
        // text before it: `steve\0x` would find `steve`.)
        guard !key.utf8.contains(0), lookup.brandId?.utf8.contains(0) != true else { return nil }
        let row: Row?
        if let brandId = lookup.brandId {
            row = try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM users WHERE app_id = ? AND (id = ? OR (ifnull(brand_id, '') = ? AND external_id = ?))
                    ORDER BY id = ? DESC LIMIT 1
                    """, arguments: [lookup.appId.rawValue, key.lowercased(), brandId, key, key.lowercased()])
        } else {
            row = try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM users WHERE app_id = ? AND (id = ? OR (ifnull(brand_id, '') = '' AND external_id = ?))
                    ORDER BY id = ? DESC LIMIT 1
                    """, arguments: [lookup.appId.rawValue, key.lowercased(), key, key.lowercased()])
        }
        return try row.map { try user(db, $0) }
    }

    static func user(_ db: Database, _ row: Row) throws -> User {
        let id: String = try row.decode(forColumn: "id")
        let identities = try Self.decodeAll(
            db, sql: "SELECT type, value, verification FROM user_identities WHERE user_id = ? ORDER BY position",
            arguments: [id]
        ) { Identity(type: try $0.decode(forColumn: "type"), value: try $0.decode(forColumn: "value"), verification: try $0.decode(forColumn: "verification")) }
        return User(
            id: try resourceID(id),
            appId: try resourceID(try row.decode(forColumn: "app_id")),
            externalId: try row.decode(forColumn: "external_id"),
            zendeskId: try row.decode(forColumn: "zendesk_id"),
            brandId: try row.decode(forColumn: "brand_id"),
            signedUpAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "signed_up_at")),
            toBeRetained: try row.decode(forColumn: "to_be_retained"),
            profile: try JSONColumn.decode(Profile.self, try row.decode(forColumn: "profile")),
            metadata: try JSONColumn.decode(Metadata.self, try row.decode(forColumn: "metadata")),
            identities: identities,
            authenticated: try row.decode(forColumn: "authenticated"))
    }

    static func columns(_ user: User) throws -> StatementArguments {
        [
            user.id.rawValue, user.appId.rawValue, user.externalId, user.zendeskId, user.brandId,
            user.signedUpAt.millisecondsSince1970, user.toBeRetained, try JSONColumn.encode(user.profile),
            try JSONColumn.encode(user.metadata), user.authenticated,
        ]
    }

    static func writeIdentities(_ db: Database, _ user: User) throws {
        for (position, identity) in user.identities.enumerated() {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO user_identities (user_id, app_id, type, value, verification, position)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.id.rawValue, user.appId.rawValue, identity.type, identity.value, identity.verification, position])
        }
    }
}

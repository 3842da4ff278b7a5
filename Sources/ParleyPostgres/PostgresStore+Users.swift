import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertUser(_ user: User) async throws {
        try await write { connection in
            try await PostgresFailure.conflictOnDuplicate("User already exists") {
                try await connection.run(
                    """
                    INSERT INTO users (id, app_id, external_id, zendesk_id, brand_id, signed_up_at, to_be_retained,
                                       profile, metadata, authenticated)
                    VALUES (\(user.id.rawValue), \(user.appId.rawValue), \(user.externalId), \(user.zendeskId), \(user.brandId),
                            \(user.signedUpAt.millisecondsSince1970), \(user.toBeRetained), \(try JSONColumn.encode(user.profile)),
                            \(try JSONColumn.encode(user.metadata)), \(user.authenticated))
                    """)
            }
            try await Self.writeIdentities(connection, user)
        }
    }

    public func user(_ lookup: UserLookup) async throws -> User? {
        try await snapshot { connection in try await Self.fetchUser(connection, lookup) }
    }

    public func users(appId: ResourceID, identityType: String, identityValue: String) async throws -> [User] {
        // No stored text holds U+0000 (PostgreSQL refuses it): such a value matches nobody.
        guard !identityValue.utf8.contains(0), !identityType.utf8.contains(0) else { return [] }
        return try await snapshot { connection in
            var users: [User] = []
            for row in try await connection.rows(
                """
                SELECT users.* FROM user_identities JOIN users ON users.id = user_identities.user_id
                WHERE user_identities.app_id = \(appId.rawValue) AND user_identities.type = \(identityType)
                  AND user_identities.value = \(identityValue)
                ORDER BY users.id
                """)
            {
                users.append(try await Self.user(connection, row))
            }
            return users
        }
    }

    public func updateUser(
        _ lookup: UserLookup, _ change: @escaping @Sendable (inout User) throws -> Void, events: @escaping @Sendable (_ before: User, _ after: User) -> [OutboxEvent]
    ) async throws -> User? {
        try await write { connection in
            guard var user = try await Self.fetchUser(connection, lookup, lock: true) else { return nil }
            let before = user
            try change(&user)
            try await connection.run(
                """
                UPDATE users SET signed_up_at = \(user.signedUpAt.millisecondsSince1970), to_be_retained = \(user.toBeRetained),
                                 profile = \(try JSONColumn.encode(user.profile)), metadata = \(try JSONColumn.encode(user.metadata)),
                                 authenticated = \(user.authenticated), zendesk_id = \(user.zendeskId)
                WHERE id = \(user.id.rawValue)
                """)
            if user.identities != before.identities {
                try await connection.run("DELETE FROM user_identities WHERE user_id = \(user.id.rawValue)")
                try await Self.writeIdentities(connection, user)
            }
            try await Self.record(connection, events(before, user))
            return user
        }
    }

    public func deleteUser(_ lookup: UserLookup, events: @escaping @Sendable (User) -> [OutboxEvent]) async throws -> User? {
        try await write { connection in
            guard let user = try await Self.fetchUser(connection, lookup, lock: true) else { return nil }
            // "Delete a user, its clients and its conversation history": its personal conversations
            // go too (with their messages and attachments); group conversations lose a participant.
            try await connection.run(
                """
                DELETE FROM conversations WHERE type = 'personal'
                  AND id IN (SELECT conversation_id FROM participants WHERE user_id = \(user.id.rawValue))
                """)
            try await connection.run("DELETE FROM users WHERE id = \(user.id.rawValue)")
            try await Self.record(connection, events(user))
            return user
        }
    }

    public func addIdentity(_ identity: Identity, userId: ResourceID) async throws {
        try await write { connection in
            // The user's row is locked first so two identities added at once get distinct positions.
            let touched = try await connection.run(
                """
                WITH owner AS (SELECT id, app_id FROM users WHERE id = \(userId.rawValue) FOR NO KEY UPDATE)
                INSERT INTO user_identities (user_id, app_id, type, value, verification, position)
                SELECT owner.id, owner.app_id, \(identity.type), \(identity.value), \(identity.verification),
                       (SELECT coalesce(max(position), -1) + 1 FROM user_identities WHERE user_id = owner.id)
                FROM owner
                ON CONFLICT (user_id, type, value)
                    DO UPDATE SET verification = EXCLUDED.verification, position = EXCLUDED.position
                RETURNING user_id
                """)
            if touched == 0 { throw ParleyError.notFound(.user) }
        }
    }

    /// One indexed query: the id match is preferred over an externalId match. `lock` takes the
    /// row for the rest of the transaction (read–change–write).
    static func fetchUser(_ connection: PostgresConnection, _ lookup: UserLookup, lock: Bool = false) async throws -> User? {
        let key = lookup.idOrExternalId
        // No stored text holds U+0000 (PostgreSQL refuses it), so such a key names nobody, as on SQLite.
        guard !key.contains("\0"), lookup.brandId?.contains("\0") != true else { return nil }
        var sql = SQL()
        let appId = try sql.bind(lookup.appId.rawValue)
        let id = try sql.bind(key.lowercased())
        let externalId = try sql.bind(key)
        let brand = try sql.bind(lookup.brandId ?? "")
        sql.append(
            """
            SELECT * FROM users WHERE app_id = \(appId) AND (id = \(id) OR (coalesce(brand_id, '') = \(brand) AND external_id = \(externalId)))
            ORDER BY id = \(id) DESC LIMIT 1
            """)
        if lock { sql.append(" FOR UPDATE") }
        guard let row = try await connection.row(sql.query) else { return nil }
        return try await user(connection, row)
    }

    static func user(_ connection: PostgresConnection, _ row: Columns) async throws -> User {
        let id = try row("id", as: String.self)
        let identities = try await connection.rows(
            "SELECT type, value, verification FROM user_identities WHERE user_id = \(id) ORDER BY position"
        ).map { Identity(type: try $0("type"), value: try $0("value"), verification: try $0("verification")) }
        return User(
            id: try Columns.resourceID(id), appId: try row.id("app_id"), externalId: try row("external_id"), zendeskId: try row("zendesk_id"),
            brandId: try row("brand_id"), signedUpAt: try row.timestamp("signed_up_at"), toBeRetained: try row("to_be_retained"),
            profile: try row.json(Profile.self, "profile"), metadata: try row.json(Metadata.self, "metadata"), identities: identities,
            authenticated: try row("authenticated"))
    }

    static func writeIdentities(_ connection: PostgresConnection, _ user: User) async throws {
        for (position, identity) in user.identities.enumerated() {
            try await connection.run(
                """
                INSERT INTO user_identities (user_id, app_id, type, value, verification, position)
                VALUES (\(user.id.rawValue), \(user.appId.rawValue), \(identity.type), \(identity.value), \(identity.verification), \(position))
                ON CONFLICT (user_id, type, value) DO UPDATE SET verification = EXCLUDED.verification, position = EXCLUDED.position
                """)
        }
    }
}

import ParleyDomain
import PostgresNIO

extension PostgresStore {
    // Ids sort in creation order (COLLATE "C"); "" sorts before every id.

    public func exportUsers(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [User] {
        try await snapshot { connection in
            var users: [User] = []
            for row in try await connection.rows(
                "SELECT * FROM users WHERE app_id = \(appId.rawValue) AND id > \(after?.rawValue ?? "") ORDER BY id LIMIT \(limit)")
            {
                users.append(try await Self.user(connection, row))
            }
            return users
        }
    }

    public func exportConversations(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Conversation] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM conversation_rows WHERE app_id = \(appId.rawValue) AND id > \(after?.rawValue ?? "") ORDER BY id LIMIT \(limit)"
            ).map(Self.conversation)
        }
    }

    public func exportMessages(conversationId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Message] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT * FROM messages WHERE conversation_id = \(conversationId.rawValue) AND id > \(after?.rawValue ?? "")
                ORDER BY id LIMIT \(limit)
                """
            ).map(Self.message)
        }
    }
}

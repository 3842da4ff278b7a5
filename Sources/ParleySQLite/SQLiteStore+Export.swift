import GRDB
import ParleyDomain

extension SQLiteStore {
    // Ids sort in creation order; "" sorts before every id.

    public func exportUsers(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [User] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM users WHERE app_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [appId.rawValue, after?.rawValue ?? "", limit]
            ).map { try Self.user(db, $0) }
        }
    }

    public func exportConversations(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Conversation] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM conversation_rows WHERE app_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [appId.rawValue, after?.rawValue ?? "", limit]
            ).map { try Self.conversation($0) }
        }
    }

    public func exportMessages(conversationId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Message] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [conversationId.rawValue, after?.rawValue ?? "", limit]
            ).map(Self.message)
        }
    }
}

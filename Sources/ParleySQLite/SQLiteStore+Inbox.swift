import GRDB
import ParleyDomain

extension SQLiteStore {
    public func inboxConversations(appId: ResourceID, search: String?, offset: Int, limit: Int) async throws -> [InboxEntry] {
        try await read { db in
            var sql = """
                SELECT c.*,
                       (SELECT p.user_id FROM participants p WHERE p.conversation_id = c.id ORDER BY p.id LIMIT 1) AS first_user_id,
                       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.received > coalesce(c.business_last_read, -1)
                          AND json_extract(m.author, '$.type') = 'user') AS unread
                FROM conversation_rows c WHERE c.app_id = ?
                """
            var arguments: StatementArguments = [appId.rawValue]
            if let search {
                sql += """
                     AND EXISTS (SELECT 1 FROM participants p JOIN users u ON u.id = p.user_id WHERE p.conversation_id = c.id
                                 AND (lower(coalesce(u.external_id, '')) LIKE ? ESCAPE '\\' OR lower(u.profile) LIKE ? ESCAPE '\\'))
                    """
                let pattern = "%" + InboxSearch.likeEscaped(search.lowercased()) + "%"
                arguments += [pattern, pattern]
            }
            sql += " ORDER BY c.last_updated_at DESC, c.id DESC LIMIT ? OFFSET ?"
            arguments += [limit, offset]
            return try Self.decodeAll(db, sql: sql, arguments: arguments) { row in
                let conversation = try Self.conversation(row)
                let lastMessage = try Self.decodeOne(
                    db.cachedStatement(sql: "SELECT * FROM messages WHERE conversation_id = ? ORDER BY received DESC, id DESC LIMIT 1"),
                    arguments: [conversation.id.rawValue], Self.message)
                return InboxEntry(
                    conversation: conversation, userId: try (try row.decode(forColumn: "first_user_id") as String?).map(Self.resourceID),
                    lastMessage: lastMessage, unreadCount: try row.decode(forColumn: "unread"))
            }
        }
    }
}

import ParleyDomain
import PostgresNIO

extension PostgresStore {
    public func inboxConversations(appId: ResourceID, search: String?, offset: Int, limit: Int) async throws -> [InboxEntry] {
        try await snapshot { connection in
            var sql = SQL()
            let app = try sql.bind(appId.rawValue)
            sql.append(
                """
                SELECT c.*,
                       (SELECT p.user_id FROM participants p WHERE p.conversation_id = c.id ORDER BY p.id LIMIT 1) AS first_user_id,
                       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.received > coalesce(c.business_last_read, -1)
                          AND m.author::jsonb ->> 'type' = 'user') AS unread
                FROM conversation_rows c WHERE c.app_id = \(app)
                """)
            if let search {
                let pattern = try sql.bind("%" + InboxSearch.likeEscaped(search.lowercased()) + "%")
                sql.append(
                    """
                     AND EXISTS (SELECT 1 FROM participants p JOIN users u ON u.id = p.user_id WHERE p.conversation_id = c.id
                                 AND (lower(coalesce(u.external_id, '')) LIKE \(pattern) ESCAPE '\\' OR lower(u.profile) LIKE \(pattern) ESCAPE '\\'))
                    """)
            }
            let bounds = (try sql.bind(limit), try sql.bind(offset))
            sql.append(" ORDER BY c.last_updated_at DESC, c.id DESC LIMIT \(bounds.0) OFFSET \(bounds.1)")
            var entries: [InboxEntry] = []
            for row in try await connection.rows(sql.query) {
                let conversation = try Self.conversation(row)
                let lastMessage = try await connection.row(
                    "SELECT * FROM messages WHERE conversation_id = \(conversation.id.rawValue) ORDER BY received DESC, id DESC LIMIT 1"
                ).map(Self.message)
                entries.append(InboxEntry(
                    conversation: conversation, userId: try row.optionalID("first_user_id"), lastMessage: lastMessage,
                    unreadCount: Int(try row("unread", as: Int64.self))))
            }
            return entries
        }
    }
}

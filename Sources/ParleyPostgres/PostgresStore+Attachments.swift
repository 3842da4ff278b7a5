import ParleyDomain
import PostgresNIO

extension PostgresStore {
    public func insertAttachment(_ attachment: Attachment) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO attachments (token, app_id, conversation_id, for_message, media_type, file_name, size, digest, created_at)
                VALUES (\(attachment.token.rawValue), \(attachment.appId.rawValue), \(attachment.conversationId?.rawValue), \(attachment.forMessage),
                        \(attachment.mediaType), \(attachment.fileName), \(attachment.size), \(attachment.digest),
                        \(attachment.createdAt.millisecondsSince1970))
                """)
        }
    }

    public func attachment(token: AttachmentToken) async throws -> Attachment? {
        try await read { connection in
            try await connection.row("SELECT * FROM attachments WHERE token = \(token.rawValue)").map(Self.attachment)
        }
    }

    public func deleteAttachment(appId: ResourceID, token: AttachmentToken) async throws -> Bool {
        try await write { connection in
            try await connection.run("DELETE FROM attachments WHERE token = \(token.rawValue) AND app_id = \(appId.rawValue) RETURNING token") > 0
        }
    }

    public func deleteAttachments(appId: ResourceID, userId: ResourceID) async throws -> Int {
        try await write { connection in
            try await connection.run(
                "DELETE FROM attachments WHERE user_id = \(userId.rawValue) AND app_id = \(appId.rawValue) RETURNING token")
        }
    }

    public func deleteUnusedAttachments(createdBefore: Timestamp) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                DELETE FROM attachments WHERE for_message AND message_id IS NULL AND created_at < \(createdBefore.millisecondsSince1970)
                RETURNING token
                """)
        }
    }

    public func attachmentRemovals(limit: Int) async throws -> [AttachmentToken] {
        try await read { connection in
            try await connection.rows("SELECT token FROM attachment_removals LIMIT \(limit)").compactMap {
                AttachmentToken(try $0("token", as: String.self))
            }
        }
    }

    public func forgetAttachmentRemovals(_ tokens: [AttachmentToken]) async throws {
        guard !tokens.isEmpty else { return }
        try await write { connection in
            try await connection.run("DELETE FROM attachment_removals WHERE token = ANY(\(tokens.map(\.rawValue)))")
        }
    }

    public func existingAttachments(_ tokens: [AttachmentToken]) async throws -> Set<AttachmentToken> {
        guard !tokens.isEmpty else { return [] }
        return try await read { connection in
            Set(try await connection.rows("SELECT token FROM attachments WHERE token = ANY(\(tokens.map(\.rawValue)))").compactMap {
                AttachmentToken(try $0("token", as: String.self))
            })
        }
    }

    static func attachment(_ row: Columns) throws -> Attachment {
        guard let token = AttachmentToken(try row("token", as: String.self)) else { throw CorruptRow("attachments.token") }
        return Attachment(
            token: token, appId: try row.id("app_id"), conversationId: try row.optionalID("conversation_id"), forMessage: try row("for_message"),
            mediaType: try row("media_type"), fileName: try row("file_name"), size: try row("size", as: Int64.self), digest: try row("digest"),
            createdAt: try row.timestamp("created_at"))
    }
}

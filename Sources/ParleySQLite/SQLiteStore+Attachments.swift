import GRDB
import ParleyDomain

extension SQLiteStore {
    public func insertAttachment(_ attachment: Attachment) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO attachments (token, app_id, conversation_id, for_message, media_type, file_name, size, digest, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    attachment.token.rawValue, attachment.appId.rawValue, attachment.conversationId?.rawValue, attachment.forMessage,
                    attachment.mediaType, attachment.fileName, attachment.size, attachment.digest, attachment.createdAt.millisecondsSince1970,
                ])
        }
    }

    public func attachment(token: AttachmentToken) async throws -> Attachment? {
        try readStatement { db in
            try Self.decodeOne(db, sql: "SELECT * FROM attachments WHERE token = ?", arguments: [token.rawValue], Self.attachment)
        }
    }

    public func deleteAttachment(appId: ResourceID, token: AttachmentToken) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM attachments WHERE token = ? AND app_id = ?", arguments: [token.rawValue, appId.rawValue])
            return db.changesCount > 0
        }
    }

    static func attachment(_ row: Row) throws -> Attachment {
        guard let token = AttachmentToken(try row.text("token")) else { throw DatabaseError(message: "corrupt attachment token") }
        return Attachment(
            token: token, appId: try resourceID(row.text("app_id")), conversationId: try row.optionalText("conversation_id").map(resourceID),
            forMessage: try row.bool("for_message"), mediaType: try row.text("media_type"), fileName: try row.text("file_name"),
            size: try row.integer("size"), digest: try row.text("digest"), createdAt: Timestamp(millisecondsSince1970: try row.integer("created_at")))
    }
}

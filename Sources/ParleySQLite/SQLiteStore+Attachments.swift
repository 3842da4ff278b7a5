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

    public func deleteAttachments(appId: ResourceID, userId: ResourceID) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM attachments WHERE user_id = ? AND app_id = ?", arguments: [userId.rawValue, appId.rawValue])
            return db.changesCount
        }
    }

    public func deleteUnusedAttachments(createdBefore: Timestamp) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM attachments WHERE for_message AND message_id IS NULL AND created_at < ?",
                arguments: [createdBefore.millisecondsSince1970])
            return db.changesCount
        }
    }

    public func attachmentRemovals(limit: Int) async throws -> [AttachmentToken] {
        try readStatement { db in
            try String.fetchAll(db, sql: "SELECT token FROM attachment_removals LIMIT ?", arguments: [limit]).compactMap { AttachmentToken($0) }
        }
    }

    public func forgetAttachmentRemovals(_ tokens: [AttachmentToken]) async throws {
        guard !tokens.isEmpty else { return }
        try await write { db in
            for token in tokens { try db.execute(sql: "DELETE FROM attachment_removals WHERE token = ?", arguments: [token.rawValue]) }
        }
    }

    public func existingAttachments(_ tokens: [AttachmentToken]) async throws -> Set<AttachmentToken> {
        try readStatement { db in
            var known = Set<AttachmentToken>()
            for token in tokens
            where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM attachments WHERE token = ?)", arguments: [token.rawValue]) == true {
                known.insert(token)
            }
            return known
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

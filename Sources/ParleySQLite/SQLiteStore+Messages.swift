import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func appendMessage(
        _ message: Message, limit: Int, channelJobs: (@Sendable (_ activeClients: [Client]) -> [ChannelJob])?,
        events: @escaping @Sendable (_ message: Message, _ conversation: Conversation) -> [OutboxEvent]
    ) async throws -> Message? {
        try await write { db in
            let conversationId = message.conversationId.rawValue
            if let key = message.externalKey,
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM messages WHERE external_key = ?)", arguments: [key]) == true
            {
                throw ParleyError.conflict("The message was already received")
            }
            // The cap check and the count are one statement, so concurrent posts cannot overshoot.
            try DirectStatement(db, sql: "UPDATE conversations SET message_count = message_count + 1, last_updated_at = ? WHERE id = ? AND message_count < ?")
                .run([.integer(message.received.millisecondsSince1970), .text(conversationId), .init(limit)])
            // The row as this write leaves it, for the events. A separate SELECT, not `RETURNING *`:
            // SQLite buffers RETURNING rows in a table of their own, which cost ≈ 3.5× as much.
            guard db.changesCount > 0,
                var conversation = try DirectStatement(db, sql: "SELECT * FROM conversation_rows WHERE id = ?").firstRow([.text(conversationId)], Self.conversation)
            else {
                guard try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?)"), arguments: [conversationId]) == true
                else { return nil }
                throw ParleyError(kind: .locked, code: "locked", title: "Message limit of \(limit) per conversation reached.")
            }
            try DirectStatement(
                db,
                sql: """
                    INSERT INTO messages (conversation_id, id, received, author, content, source, metadata, destination, override, external_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).run([
                .text(conversationId), .text(message.id.rawValue), .integer(message.received.millisecondsSince1970),
                .text(try JSONColumn.encode(message.author)), .text(try JSONColumn.encode(message.content)),
                .text(try JSONColumn.encode(message.source)), .init(try message.metadata.map(JSONColumn.encode)),
                .init(try message.destination.map(JSONColumn.encode)), .init(try message.override.map(JSONColumn.encode)),
                .init(message.externalKey),
            ])
            let authorUserId = message.author.type == .user ? message.author.userId : nil
            for token in message.attachments {
                try db.execute(
                    sql: """
                        UPDATE attachments SET conversation_id = ?, message_id = ?, user_id = ?
                        WHERE token = ? AND for_message AND message_id IS NULL AND (conversation_id IS NULL OR conversation_id = ?)
                        """,
                    arguments: [conversationId, message.id.rawValue, authorUserId, token.rawValue, conversationId])
            }
            try DirectStatement(db, sql: "UPDATE participants SET unread_count = unread_count + 1 WHERE conversation_id = ? AND user_id IS NOT ?")
                .run([.text(conversationId), .init(authorUserId)])
            if let authorUserId {
                // Writing a message means having read the conversation up to it.
                try DirectStatement(db, sql: "UPDATE participants SET unread_count = 0, last_read = ? WHERE conversation_id = ? AND user_id = ?")
                    .run([.integer(message.received.millisecondsSince1970), .text(conversationId), .text(authorUserId)])
            }
            // Read for a user's message (who takes control), then reused for the events' routing.
            var switchboards: [ResourceID: SwitchboardSetup?] = [:]
            if authorUserId != nil { switchboards[conversation.appId] = .some(try Self.switchboardSetup(db, appId: conversation.appId)) }
            if let setup = switchboards[conversation.appId] ?? nil,
                let controller = setup.controller(replacing: conversation.activeSwitchboardIntegration?.id),
                controller.id != conversation.activeSwitchboardIntegration?.id
            {
                // A user writing in a conversation nobody controls (released, or its controller
                // gone) hands it to the default, without an event.
                conversation.activeSwitchboardIntegration = controller.summary
                try Self.setControl(db, conversation)
            }
            if let channelJobs {
                for job in channelJobs(try Self.activeClients(db, conversationId: message.conversationId)) { try Self.insert(db, job) }
            }
            try Self.record(db, events(message, conversation), switchboards: switchboards)
            return message
        }
    }

    public func messages(conversationId: ResourceID, page: PageRequest) async throws -> Page<Message> {
        try await read { db in
            try SQLitePaging.page(
                db, table: "messages", filter: "conversation_id = ?", arguments: [conversationId.rawValue], request: page,
                newestFirst: true, decode: Self.message)
        }
    }

    public func message(conversationId: ResourceID, id: ResourceID) async throws -> Message? {
        try readStatement { db in
            try Self.decodeOne(
                db, sql: "SELECT * FROM messages WHERE conversation_id = ? AND id = ?", arguments: [conversationId.rawValue, id.rawValue], Self.message)
        }
    }

    public func deleteMessage(conversationId: ResourceID, id: ResourceID) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM messages WHERE conversation_id = ? AND id = ?", arguments: [conversationId.rawValue, id.rawValue])
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "UPDATE conversations SET message_count = message_count - 1 WHERE id = ?", arguments: [conversationId.rawValue])
            return true
        }
    }

    public func deleteAllMessages(conversationId: ResourceID) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM messages WHERE conversation_id = ?", arguments: [conversationId.rawValue])
            try db.execute(sql: "UPDATE conversations SET message_count = 0 WHERE id = ?", arguments: [conversationId.rawValue])
        }
    }

    public func markRead(conversationId: ResourceID, userId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE participants SET unread_count = 0, last_read = ? WHERE conversation_id = ? AND user_id = ?",
                arguments: [at.millisecondsSince1970, conversationId.rawValue, userId.rawValue])
            try Self.record(db, events)
        }
    }

    public func markBusinessRead(conversationId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE conversations SET business_last_read = ? WHERE id = ?", arguments: [at.millisecondsSince1970, conversationId.rawValue])
            try Self.record(db, events)
        }
    }

    static func message(_ row: Row) throws -> Message {
        Message(
            id: try resourceID(try row.decode(forColumn: "id")), conversationId: try resourceID(try row.decode(forColumn: "conversation_id")),
            received: Timestamp(millisecondsSince1970: try row.decode(forColumn: "received")),
            author: try JSONColumn.decode(MessageAuthor.self, try row.decode(forColumn: "author")),
            content: try JSONColumn.decode(JSONValue.self, try row.decode(forColumn: "content")),
            source: try JSONColumn.decode(MessageSource.self, try row.decode(forColumn: "source")),
            metadata: try (try row.decode(forColumn: "metadata") as String?).map { try JSONColumn.decode(Metadata.self, $0) },
            destination: try (try row.decode(forColumn: "destination") as String?).map { try JSONColumn.decode(JSONValue.self, $0) },
            override: try (try row.decode(forColumn: "override") as String?).map { try JSONColumn.decode(JSONValue.self, $0) },
            externalKey: try row.decode(forColumn: "external_key"))
    }
}

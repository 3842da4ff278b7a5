import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func appendMessage(
        _ message: Message, limit: Int, channelJobs: (@Sendable (_ activeClients: [Client]) -> [ChannelJob])?,
        events: @escaping @Sendable (_ message: Message, _ conversation: Conversation) -> [OutboxEvent]
    ) async throws -> Message? {
        try await write { connection in
            let conversationId = message.conversationId.rawValue
            let received = message.received.millisecondsSince1970
            let authorUserId = message.author.type == .user ? message.author.userId : nil
            if let key = message.externalKey, try await connection.exists("SELECT 1 FROM messages WHERE external_key = \(key)") {
                throw ParleyError.conflict("The message was already received")
            }
            // One statement for what every post changes (`AppendMessageSQL`).
            // Two deliveries of one inbound message at once: the unique index stops the second.
            var statement = Prepared<AppendMessageSQL>()
            try statement.bind(received)
            try statement.bind(conversationId)
            try statement.bind(limit)
            try statement.bind(message.id.rawValue)
            try statement.bind(JSONColumn.encode(message.author))
            try statement.bind(JSONColumn.encode(message.content))
            try statement.bind(JSONColumn.encode(message.source))
            try statement.bind(message.metadata.map(JSONColumn.encode))
            try statement.bind(message.destination.map(JSONColumn.encode))
            try statement.bind(message.override.map(JSONColumn.encode))
            try statement.bind(message.externalKey)
            try statement.bind(authorUserId)
            let counted = try await PostgresFailure.conflictOnDuplicate("The message was already received") {
                try await connection.rows(statement)
            }
            guard let row = counted.first else {
                guard try await connection.exists("SELECT 1 FROM conversations WHERE id = \(conversationId)") else { return nil }
                throw ParleyError(kind: .locked, code: "locked", title: "Message limit of \(limit) per conversation reached.")
            }
            var conversation = try Self.conversation(row)
            if !message.attachments.isEmpty {
                try await connection.run(
                    """
                    UPDATE attachments SET conversation_id = \(conversationId), message_id = \(message.id.rawValue), user_id = \(authorUserId)
                    WHERE token = ANY(\(message.attachments.map(\.rawValue))) AND for_message AND message_id IS NULL
                      AND (conversation_id IS NULL OR conversation_id = \(conversationId))
                    """)
            }
            // Read for a user's message (who takes control), then reused for the events' routing;
            // an app without a switchboard (most) is known to have none without a read.
            var switchboards: [ResourceID: SwitchboardSetup?] = [:]
            if try !row("has_switchboard", as: Bool.self) {
                switchboards[conversation.appId] = .some(nil)
            } else if authorUserId != nil {
                switchboards[conversation.appId] = .some(try await Self.switchboardSetup(connection, appId: conversation.appId))
            }
            if let setup = switchboards[conversation.appId] ?? nil,
                let controller = setup.controller(replacing: conversation.activeSwitchboardIntegration?.id),
                controller.id != conversation.activeSwitchboardIntegration?.id
            {
                // A user writing in a conversation nobody controls (released, or its controller
                // gone) hands it to the default, without an event.
                conversation.activeSwitchboardIntegration = controller.summary
                try await Self.setControl(connection, conversation)
            }
            if let channelJobs {
                let clients = try row("has_active_clients", as: Bool.self)
                    ? try await connection.rows(
                        "SELECT * FROM clients WHERE conversation_id = \(conversationId) AND status = 'active' ORDER BY id"
                    ).map(Self.client)
                    : []
                for job in channelJobs(clients) { try await Self.insert(connection, job) }
            }
            try await Self.record(connection, events(message, conversation), switchboards: switchboards, locked: [message.conversationId])
            return message
        }
    }

    /// What every post changes, in one statement (each round trip costs both processes CPU,
    /// BENCHMARKS.md "Round 16"): the count under the cap, the message, the participants' unread
    /// counts and read state, and the conversation's ordering lock (see `record`; the row lock this
    /// UPDATE takes already queues the conversation's posts, so taking it here first holds nobody
    /// longer). Concurrent posts to one conversation queue on its row, and PostgreSQL re-checks
    /// `message_count < limit` against the row the previous post committed, so the cap is exact.
    /// It also reads the conversation as this write leaves it, for the events, whether it has
    /// active clients to deliver to, and whether its app has a switchboard. Binds: received,
    /// conversation, limit, message id, author, content, source, metadata, destination, override,
    /// external key, the author's user id.
    enum AppendMessageSQL: PreparedSQL {
        static let sql = """
            WITH c AS (
                UPDATE conversations SET message_count = message_count + 1, last_updated_at = $1
                WHERE id = $2 AND message_count < $3 RETURNING *
            ), inserted AS (
                INSERT INTO messages (conversation_id, id, received, author, content, source, metadata, destination, override, external_key)
                SELECT c.id, $4, $1, $5, $6, $7, $8, $9, $10, $11 FROM c
            ), counts AS (
                -- Writing a message means having read the conversation up to it.
                UPDATE participants SET unread_count = CASE WHEN user_id = $12 THEN 0 ELSE unread_count + 1 END,
                                        last_read = CASE WHEN user_id = $12 THEN $1 ELSE last_read END
                WHERE conversation_id = (SELECT id FROM c)
            )
            SELECT \(conversationColumns), \(controlColumns),
                   EXISTS (SELECT 1 FROM clients WHERE conversation_id = c.id AND status = 'active') AS has_active_clients,
                   EXISTS (SELECT 1 FROM switchboards WHERE app_id = c.app_id) AS has_switchboard
            FROM c CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(\(outboxLockSpace), hashtext(c.id))) AS ordering
            \(controlJoins)
            """
    }

    public func message(conversationId: ResourceID, id: ResourceID) async throws -> Message? {
        try await read { connection in
            try await connection.row("SELECT * FROM messages WHERE conversation_id = \(conversationId.rawValue) AND id = \(id.rawValue)").map(Self.message)
        }
    }

    public func messages(conversationId: ResourceID, page: PageRequest) async throws -> Page<Message> {
        try await snapshot { connection in
            var filter = SQL()
            let conversation = try filter.bind(conversationId.rawValue)
            filter.append("conversation_id = \(conversation)")
            return try await PostgresPaging.page(
                connection, table: "messages", filter: filter, request: page, newestFirst: true, decode: Self.message)
        }
    }

    public func deleteMessage(conversationId: ResourceID, id: ResourceID) async throws -> Bool {
        try await write { connection in
            guard try await connection.run(
                "DELETE FROM messages WHERE conversation_id = \(conversationId.rawValue) AND id = \(id.rawValue) RETURNING id") > 0
            else { return false }
            try await connection.run("UPDATE conversations SET message_count = message_count - 1 WHERE id = \(conversationId.rawValue)")
            return true
        }
    }

    public func deleteAllMessages(conversationId: ResourceID) async throws {
        try await write { connection in
            // The conversation's row first, so a concurrent post cannot slip a message in between
            // the delete and the reset of the count.
            try await connection.run("SELECT 1 FROM conversations WHERE id = \(conversationId.rawValue) FOR NO KEY UPDATE")
            try await connection.run("DELETE FROM messages WHERE conversation_id = \(conversationId.rawValue)")
            try await connection.run("UPDATE conversations SET message_count = 0 WHERE id = \(conversationId.rawValue)")
        }
    }

    public func markRead(conversationId: ResourceID, userId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws {
        try await write { connection in
            try await connection.run(
                """
                UPDATE participants SET unread_count = 0, last_read = \(at.millisecondsSince1970)
                WHERE conversation_id = \(conversationId.rawValue) AND user_id = \(userId.rawValue)
                """)
            try await Self.record(connection, events)
        }
    }

    public func markBusinessRead(conversationId: ResourceID, at: Timestamp, events: [OutboxEvent]) async throws {
        try await write { connection in
            try await connection.run(
                "UPDATE conversations SET business_last_read = \(at.millisecondsSince1970) WHERE id = \(conversationId.rawValue)")
            try await Self.record(connection, events)
        }
    }

    static func message(_ row: Columns) throws -> Message {
        Message(
            id: try row.id("id"), conversationId: try row.id("conversation_id"), received: try row.timestamp("received"),
            author: try row.json(MessageAuthor.self, "author"), content: try row.json(JSONValue.self, "content"),
            source: try row.json(MessageSource.self, "source"), metadata: try row.optionalJSON(Metadata.self, "metadata"),
            destination: try row.optionalJSON(JSONValue.self, "destination"), override: try row.optionalJSON(JSONValue.self, "override"),
            externalKey: try row("external_key"))
    }
}

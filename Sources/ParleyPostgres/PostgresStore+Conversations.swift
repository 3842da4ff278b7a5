import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertConversation(
        _ conversation: Conversation, participants: [Participant], events: @escaping @Sendable (Conversation) -> [OutboxEvent]
    ) async throws -> Conversation {
        try await write { connection in
            var stored = conversation
            if conversation.type == .personal, let userId = participants.first?.userId {
                // Decided inside the write transaction with the user's row locked: two concurrent
                // creates queue here, and the second sees the first's participant.
                try await connection.run("SELECT 1 FROM users WHERE id = \(userId.rawValue) FOR NO KEY UPDATE")
                stored.isDefault = try await !connection.exists(
                    """
                    SELECT 1 FROM participants JOIN conversations ON conversations.id = participants.conversation_id
                    WHERE participants.user_id = \(userId.rawValue) AND conversations.type = 'personal' LIMIT 1
                    """)
            }
            // A new conversation starts with the switchboard's default in control.
            let switchboard = try await Self.switchboardSetup(connection, appId: stored.appId)
            stored.activeSwitchboardIntegration = switchboard?.controller(replacing: nil)?.summary
            try await connection.run(
                """
                INSERT INTO conversations (id, app_id, type, display_name, description, icon_url, metadata, is_default,
                                           business_last_read, last_updated_at, created_at, active_switchboard_integration_id)
                VALUES (\(stored.id.rawValue), \(stored.appId.rawValue), \(stored.type.rawValue), \(stored.displayName),
                        \(stored.description), \(stored.iconUrl), \(try stored.metadata.map(JSONColumn.encode)), \(stored.isDefault),
                        \(stored.businessLastRead?.millisecondsSince1970), \(stored.lastUpdatedAt.millisecondsSince1970),
                        \(stored.createdAt.millisecondsSince1970), \(stored.activeSwitchboardIntegration?.id.rawValue))
                """)
            for participant in participants { try await Self.insert(connection, participant) }
            try await Self.record(connection, events(stored), switchboards: [stored.appId: switchboard])
            return stored
        }
    }

    public func conversation(appId: ResourceID, id: ResourceID) async throws -> Conversation? {
        try await read { connection in try await Self.fetchConversation(connection, appId: appId, id: id) }
    }

    public func conversations(appId: ResourceID, userId: ResourceID, page: PageRequest) async throws -> Page<Conversation> {
        try await snapshot { connection in
            var filter = SQL()
            let app = try filter.bind(appId.rawValue)
            let user = try filter.bind(userId.rawValue)
            filter.append("app_id = \(app) AND id IN (SELECT conversation_id FROM participants WHERE user_id = \(user))")
            return try await PostgresPaging.page(connection, table: "conversation_rows", filter: filter, request: page, decode: Self.conversation)
        }
    }

    public func updateConversation(
        appId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Conversation) throws -> Void
    ) async throws -> Conversation? {
        try await write { connection in
            guard var conversation = try await Self.fetchConversation(connection, appId: appId, id: id, lock: true) else { return nil }
            try change(&conversation)
            try await connection.run(
                """
                UPDATE conversations SET display_name = \(conversation.displayName), description = \(conversation.description),
                                         icon_url = \(conversation.iconUrl), metadata = \(try conversation.metadata.map(JSONColumn.encode))
                WHERE id = \(id.rawValue)
                """)
            return conversation
        }
    }

    public func deleteConversation(appId: ResourceID, id: ResourceID, events: [OutboxEvent]) async throws -> Bool {
        try await write { connection in
            guard try await connection.run(
                "DELETE FROM conversations WHERE id = \(id.rawValue) AND app_id = \(appId.rawValue) RETURNING id") > 0
            else { return false }
            try await Self.record(connection, events)
            return true
        }
    }

    public func insertParticipant(_ participant: Participant, limit: Int, events: [OutboxEvent]) async throws {
        try await write { connection in
            try await Self.lockForNewParticipant(connection, participant.conversationId)
            if try await connection.exists(
                """
                SELECT 1 FROM participants
                WHERE conversation_id = \(participant.conversationId.rawValue) AND user_id = \(participant.userId.rawValue)
                """)
            {
                throw ParleyError.conflict("User is already a participant of the conversation")
            }
            try await Self.requireParticipantRoom(connection, participant.conversationId, limit: limit)
            try await Self.insert(connection, participant)
            try await Self.record(connection, events)
        }
    }

    public func participant(conversationId: ResourceID, userId: ResourceID) async throws -> Participant? {
        try await read { connection in
            try await connection.row(
                """
                \(unescaped: Self.participantSelect)
                WHERE participants.conversation_id = \(conversationId.rawValue) AND participants.user_id = \(userId.rawValue)
                """
            ).map(Self.participant)
        }
    }

    public func participants(conversationId: ResourceID, page: PageRequest) async throws -> Page<Participant> {
        try await snapshot { connection in
            var filter = SQL()
            let conversation = try filter.bind(conversationId.rawValue)
            filter.append("conversation_id = \(conversation)")
            return try await PostgresPaging.page(
                connection, table: "(\(Self.participantSelect)) AS p", filter: filter, request: page, decode: Self.participant)
        }
    }

    public func deleteParticipant(
        conversationId: ResourceID, appId: ResourceID, _ reference: ParticipantReference, events: @escaping @Sendable (Participant) -> [OutboxEvent]
    ) async throws -> Bool {
        try await write { connection in
            var sql = SQL()
            var condition = "participants.conversation_id = \(try sql.bind(conversationId.rawValue)) AND "
            switch reference {
            case .participantId(let id): condition += "participants.id = \(try sql.bind(id.lowercased()))"
            case .userId(let id): condition += "participants.user_id = \(try sql.bind(id.lowercased()))"
            case .userExternalId(let externalId):
                condition += "users.app_id = \(try sql.bind(appId.rawValue)) AND users.external_id = \(try sql.bind(externalId))"
            }
            // Locked, so of two concurrent removals only one finds the row (and fires the event).
            sql.append("\(Self.participantSelect) WHERE \(condition) FOR UPDATE OF participants")
            guard let participant = try await connection.row(sql.query).map(Self.participant) else { return false }
            try await connection.run("DELETE FROM participants WHERE id = \(participant.id.rawValue)")
            try await Self.record(connection, events(participant))
            return true
        }
    }

    static let participantSelect = """
        SELECT participants.*, users.external_id AS user_external_id FROM participants JOIN users ON users.id = participants.user_id
        """

    /// Adding a participant counts the conversation's participants first. Locking the conversation
    /// row makes concurrent adds to one conversation take turns, so the cap is exact.
    static func lockForNewParticipant(_ connection: PostgresConnection, _ conversationId: ResourceID) async throws {
        try await connection.run("SELECT 1 FROM conversations WHERE id = \(conversationId.rawValue) FOR NO KEY UPDATE")
    }

    static func requireParticipantRoom(_ connection: PostgresConnection, _ conversationId: ResourceID, limit: Int) async throws {
        let count = try await connection.row(
            "SELECT count(*) AS n FROM participants WHERE conversation_id = \(conversationId.rawValue)")?("n", as: Int.self) ?? 0
        guard count < limit else { throw ParleyError.badRequest("Too many participants: a conversation holds at most \(limit)") }
    }

    static func insert(_ connection: PostgresConnection, _ participant: Participant) async throws {
        try await PostgresFailure.conflictOnDuplicate("User is already a participant of the conversation") {
            try await connection.run(
                """
                INSERT INTO participants (id, conversation_id, user_id, unread_count, last_read, client_associations)
                VALUES (\(participant.id.rawValue), \(participant.conversationId.rawValue), \(participant.userId.rawValue),
                        \(participant.unreadCount), \(participant.lastRead?.millisecondsSince1970),
                        \(try JSONColumn.encode(participant.clientAssociations)))
                """)
        }
    }

    static func fetchConversation(
        _ connection: PostgresConnection, appId: ResourceID, id: ResourceID, lock: Bool = false
    ) async throws -> Conversation? {
        // The view's outer joins cannot be locked: the conversation's own row is, first.
        if lock { try await connection.run("SELECT 1 FROM conversations WHERE id = \(id.rawValue) FOR NO KEY UPDATE") }
        return try await connection.row("SELECT * FROM conversation_rows WHERE id = \(id.rawValue) AND app_id = \(appId.rawValue)").map(conversation)
    }

    static func conversation(_ row: Columns) throws -> Conversation {
        Conversation(
            id: try row.id("id"), appId: try row.id("app_id"), type: ConversationType(rawValue: try row("type")) ?? .personal,
            displayName: try row("display_name"), description: try row("description"), iconUrl: try row("icon_url"),
            metadata: try row.optionalJSON(Metadata.self, "metadata"), isDefault: try row("is_default"),
            businessLastRead: try row.optionalTimestamp("business_last_read"), lastUpdatedAt: try row.timestamp("last_updated_at"),
            createdAt: try row.timestamp("created_at"),
            activeSwitchboardIntegration: try switchboardSummary(row, "active"), pendingSwitchboardIntegration: try switchboardSummary(row, "pending"))
    }

    /// The columns `conversation(_:)` reads from a statement's own `c`, named for prepared
    /// statements (`PreparedSQL`).
    static let conversationColumns = """
        c.id, c.app_id, c.type, c.display_name, c.description, c.icon_url, c.metadata, c.is_default, c.business_last_read, \
        c.last_updated_at, c.created_at, c.active_switchboard_integration_id, c.pending_switchboard_integration_id
        """

    /// What a conversation row shows of its active and pending switchboard integrations, through
    /// `controlJoins` on a statement's own `c` (as the view `conversation_rows` does).
    static let controlColumns = """
        a.name AS active_name, a.integration_id AS active_integration_id, a.integration_type AS active_integration_type, \
        p.name AS pending_name, p.integration_id AS pending_integration_id, p.integration_type AS pending_integration_type
        """
    static let controlJoins = """
        LEFT JOIN switchboard_integrations a ON a.id = c.active_switchboard_integration_id \
        LEFT JOIN switchboard_integrations p ON p.id = c.pending_switchboard_integration_id
        """

    /// Nil when there is none, or it is gone.
    private static func switchboardSummary(_ row: Columns, _ role: String) throws -> SwitchboardIntegrationSummary? {
        guard let id = try row.optionalID("\(role)_switchboard_integration_id"), let name: String = try row("\(role)_name"),
            let integrationId = try row.optionalID("\(role)_integration_id")
        else { return nil }
        return SwitchboardIntegrationSummary(id: id, name: name, integrationId: integrationId, integrationType: try row("\(role)_integration_type"))
    }

    static func participant(_ row: Columns) throws -> Participant {
        Participant(
            id: try row.id("id"), conversationId: try row.id("conversation_id"), userId: try row.id("user_id"),
            userExternalId: try row("user_external_id"), unreadCount: try row("unread_count"),
            lastRead: try row.optionalTimestamp("last_read"),
            clientAssociations: try row.json([ClientAssociation].self, "client_associations"))
    }
}

import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertConversation(
        _ conversation: Conversation, participants: [Participant], events: @escaping @Sendable (Conversation) -> [OutboxEvent]
    ) async throws -> Conversation {
        try await write { db in
            var stored = conversation
            if conversation.type == .personal, let userId = participants.first?.userId {
                // Decided inside the write transaction: two concurrent creates cannot both be first.
                stored.isDefault = try !(Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM participants JOIN conversations ON conversations.id = participants.conversation_id
                                       WHERE participants.user_id = ? AND conversations.type = 'personal')
                        """, arguments: [userId.rawValue]) ?? false)
            }
            // A new conversation starts with the switchboard's default in control.
            let switchboard = try Self.switchboardSetup(db, appId: stored.appId)
            stored.activeSwitchboardIntegration = switchboard?.controller(replacing: nil)?.summary
            try db.execute(
                sql: """
                    INSERT INTO conversations (id, app_id, type, display_name, description, icon_url, metadata, is_default,
                                               business_last_read, last_updated_at, created_at, active_switchboard_integration_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.id.rawValue, stored.appId.rawValue, stored.type.rawValue, stored.displayName, stored.description,
                    stored.iconUrl, try stored.metadata.map(JSONColumn.encode), stored.isDefault,
                    stored.businessLastRead?.millisecondsSince1970, stored.lastUpdatedAt.millisecondsSince1970,
                    stored.createdAt.millisecondsSince1970, stored.activeSwitchboardIntegration?.id.rawValue,
                ])
            for participant in participants { try Self.insert(db, participant) }
            try Self.record(db, events(stored), switchboards: [stored.appId: switchboard])
            return stored
        }
    }

    public func conversation(appId: ResourceID, id: ResourceID) async throws -> Conversation? {
        try readStatement { db in try Self.fetchConversation(db, appId: appId, id: id) }
    }

    public func conversations(appId: ResourceID, userId: ResourceID, page: PageRequest) async throws -> Page<Conversation> {
        try await read { db in
            try SQLitePaging.page(
                db, table: "conversation_rows",
                filter: "app_id = ? AND id IN (SELECT conversation_id FROM participants WHERE user_id = ?)",
                arguments: [appId.rawValue, userId.rawValue], request: page, decode: Self.conversation)
        }
    }

    public func updateConversation(
        appId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Conversation) throws -> Void
    ) async throws -> Conversation? {
        try await write { db in
            guard var conversation = try Self.fetchConversation(db, appId: appId, id: id) else { return nil }
            try change(&conversation)
            try db.execute(
                sql: "UPDATE conversations SET display_name = ?, description = ?, icon_url = ?, metadata = ? WHERE id = ?",
                arguments: [
                    conversation.displayName, conversation.description, conversation.iconUrl,
                    try conversation.metadata.map(JSONColumn.encode), id.rawValue,
                ])
            return conversation
        }
    }

    public func deleteConversation(appId: ResourceID, id: ResourceID, events: [OutboxEvent]) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM conversations WHERE id = ? AND app_id = ?", arguments: [id.rawValue, appId.rawValue])
            guard db.changesCount > 0 else { return false }
            try Self.record(db, events)
            return true
        }
    }

    public func insertParticipant(_ participant: Participant, limit: Int, events: [OutboxEvent]) async throws {
        try await write { db in
            let member = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM participants WHERE conversation_id = ? AND user_id = ?)",
                arguments: [participant.conversationId.rawValue, participant.userId.rawValue]) ?? false
            if member { throw ParleyError.conflict("User is already a participant of the conversation") }
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM participants WHERE conversation_id = ?", arguments: [participant.conversationId.rawValue]) ?? 0
            guard count < limit else { throw ParleyError.badRequest("Too many participants: a conversation holds at most \(limit)") }
            try Self.insert(db, participant)
            try Self.record(db, events)
        }
    }

    public func participant(conversationId: ResourceID, userId: ResourceID) async throws -> Participant? {
        try readStatement { db in
            try Self.decodeOne(
                db, sql: "\(Self.participantSelect) WHERE participants.conversation_id = ? AND participants.user_id = ?",
                arguments: [conversationId.rawValue, userId.rawValue], Self.participant)
        }
    }

    public func participants(conversationId: ResourceID, page: PageRequest) async throws -> Page<Participant> {
        try await read { db in
            try SQLitePaging.page(
                db, table: "(\(Self.participantSelect))", filter: "conversation_id = ?", arguments: [conversationId.rawValue],
                request: page, decode: Self.participant)
        }
    }

    public func deleteParticipant(
        conversationId: ResourceID, appId: ResourceID, _ reference: ParticipantReference, events: @escaping @Sendable (Participant) -> [OutboxEvent]
    ) async throws -> Bool {
        try await write { db in
            let condition: String
            let arguments: StatementArguments
            switch reference {
            case .participantId(let id): (condition, arguments) = ("participants.id = ?", [id.lowercased()])
            case .userId(let id): (condition, arguments) = ("participants.user_id = ?", [id.lowercased()])
            case .userExternalId(let externalId): (condition, arguments) = ("users.app_id = ? AND users.external_id = ?", [appId.rawValue, externalId])
            }
            guard let participant = try Self.decodeOne(
                db, sql: "\(Self.participantSelect) WHERE participants.conversation_id = ? AND \(condition)",
                arguments: [conversationId.rawValue] + arguments, Self.participant) else { return false }
            try db.execute(sql: "DELETE FROM participants WHERE id = ?", arguments: [participant.id.rawValue])
            try Self.record(db, events(participant))
            return true
        }
    }

    static let participantSelect = """
        SELECT participants.*, users.external_id AS user_external_id FROM participants JOIN users ON users.id = participants.user_id
        """

    static func insert(_ db: Database, _ participant: Participant) throws {
        try db.execute(
            sql: """
                INSERT INTO participants (id, conversation_id, user_id, unread_count, last_read, client_associations)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                participant.id.rawValue, participant.conversationId.rawValue, participant.userId.rawValue, participant.unreadCount,
                participant.lastRead?.millisecondsSince1970, try JSONColumn.encode(participant.clientAssociations),
            ])
    }

    static func fetchConversation(_ db: Database, appId: ResourceID, id: ResourceID) throws -> Conversation? {
        try DirectStatement(db, sql: "SELECT * FROM conversation_rows WHERE id = ? AND app_id = ?")
            .firstRow([.text(id.rawValue), .text(appId.rawValue)], conversation)
    }

    static func conversation(_ row: some ColumnValues) throws -> Conversation {
        Conversation(
            id: try resourceID(row.text("id")), appId: try resourceID(row.text("app_id")),
            type: ConversationType(rawValue: try row.text("type")) ?? .personal,
            displayName: try row.optionalText("display_name"), description: try row.optionalText("description"),
            iconUrl: try row.optionalText("icon_url"),
            metadata: try row.optionalText("metadata").map { try JSONColumn.decode(Metadata.self, $0) },
            isDefault: try row.bool("is_default"),
            businessLastRead: try row.optionalInteger("business_last_read").map(Timestamp.init(millisecondsSince1970:)),
            lastUpdatedAt: Timestamp(millisecondsSince1970: try row.integer("last_updated_at")),
            createdAt: Timestamp(millisecondsSince1970: try row.integer("created_at")),
            activeSwitchboardIntegration: try switchboardSummary(row, "active"), pendingSwitchboardIntegration: try switchboardSummary(row, "pending"))
    }

    /// `conversation_rows`' columns for the active or pending switchboard integration: nil when
    /// there is none, or it is gone.
    private static func switchboardSummary(_ row: some ColumnValues, _ role: String) throws -> SwitchboardIntegrationSummary? {
        guard let id = try row.optionalText("\(role)_switchboard_integration_id"), let name = try row.optionalText("\(role)_name"),
            let integrationId = try row.optionalText("\(role)_integration_id")
        else { return nil }
        return SwitchboardIntegrationSummary(
            id: try resourceID(id), name: name, integrationId: try resourceID(integrationId), integrationType: try row.text("\(role)_integration_type"))
    }

    static func participant(_ row: Row) throws -> Participant {
        Participant(
            id: try resourceID(try row.decode(forColumn: "id")), conversationId: try resourceID(try row.decode(forColumn: "conversation_id")), userId: try resourceID(try row.decode(forColumn: "user_id")),
            userExternalId: try row.decode(forColumn: "user_external_id"), unreadCount: try row.decode(forColumn: "unread_count"),
            lastRead: (try row.decode(forColumn: "last_read") as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            clientAssociations: try JSONColumn.decode([ClientAssociation].self, try row.decode(forColumn: "client_associations")))
    }
}

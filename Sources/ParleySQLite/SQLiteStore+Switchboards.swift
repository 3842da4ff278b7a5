import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func switchboardSetup(appId: ResourceID) async throws -> SwitchboardSetup? {
        try await read { db in try Self.switchboardSetup(db, appId: appId) }
    }

    public func changeSwitchboard<Result: Sendable>(
        appId: ResourceID, _ change: @escaping @Sendable (inout SwitchboardSetup?) throws -> Result
    ) async throws -> Result {
        // SQLite has one writer: reading the setup inside the write transaction serialises changes.
        try await write { db in
            let before = try Self.switchboardSetup(db, appId: appId)
            var after = before
            let result = try change(&after)
            try Self.persist(db, from: before, to: after)
            return result
        }
    }

    public func changeControl(
        appId: ResourceID, conversationId: ResourceID,
        _ decide: @escaping @Sendable (inout Conversation, SwitchboardSetup?, _ latestMessages: [Message]) throws -> [OutboxEvent]
    ) async throws -> Bool {
        try await write { db in
            guard var conversation = try Self.fetchConversation(db, appId: appId, id: conversationId) else { return false }
            let setup = try Self.switchboardSetup(db, appId: appId)
            let latest = try Self.decodeAll(
                db, sql: "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT 10", arguments: [conversationId.rawValue],
                Self.message)
            let events = try decide(&conversation, setup, latest.reversed())
            try Self.setControl(db, conversation)
            try Self.record(db, events, switchboards: [appId: setup])
            return true
        }
    }

    /// The app's switchboard with its integrations in creation order.
    static func switchboardSetup(_ db: Database, appId: ResourceID) throws -> SwitchboardSetup? {
        guard let switchboard = try decodeOne(
            db.cachedStatement(sql: "SELECT * FROM switchboards WHERE app_id = ?"), arguments: [appId.rawValue], Self.switchboard)
        else { return nil }
        let integrations = try decodeAll(
            db.cachedStatement(sql: "SELECT * FROM switchboard_integrations WHERE switchboard_id = ? ORDER BY id"),
            arguments: [switchboard.id.rawValue], Self.switchboardIntegration)
        return SwitchboardSetup(switchboard: switchboard, integrations: integrations)
    }

    /// Writes a conversation's active and pending switchboard integrations.
    static func setControl(_ db: Database, _ conversation: Conversation) throws {
        try db.execute(
            sql: "UPDATE conversations SET active_switchboard_integration_id = ?, pending_switchboard_integration_id = ? WHERE id = ?",
            arguments: [
                conversation.activeSwitchboardIntegration?.id.rawValue, conversation.pendingSwitchboardIntegration?.id.rawValue,
                conversation.id.rawValue,
            ])
    }

    /// The difference between two setups of one app, written.
    private static func persist(_ db: Database, from before: SwitchboardSetup?, to after: SwitchboardSetup?) throws {
        if let before, before.switchboard.id != after?.switchboard.id {
            // Its integrations go with it (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM switchboards WHERE id = ?", arguments: [before.switchboard.id.rawValue])
        }
        guard let after else { return }
        let switchboard = after.switchboard
        try db.execute(
            sql: """
                INSERT INTO switchboards (id, app_id, enabled, default_switchboard_integration_id, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled,
                    default_switchboard_integration_id = excluded.default_switchboard_integration_id
                """,
            arguments: [
                switchboard.id.rawValue, switchboard.appId.rawValue, switchboard.enabled, switchboard.defaultSwitchboardIntegrationId?.rawValue,
                switchboard.createdAt.millisecondsSince1970,
            ])
        let kept = Set(after.integrations.map(\.id))
        for removed in (before?.integrations ?? []) where !kept.contains(removed.id) {
            try db.execute(sql: "DELETE FROM switchboard_integrations WHERE id = ?", arguments: [removed.id.rawValue])
        }
        let unchanged = Set(before?.integrations ?? [])
        for integration in after.integrations where !unchanged.contains(integration) {
            try db.execute(
                sql: """
                    INSERT INTO switchboard_integrations (id, switchboard_id, integration_id, integration_type, name, deliver_standby_events,
                                                          next_switchboard_integration_id, message_history_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET integration_id = excluded.integration_id, integration_type = excluded.integration_type,
                        name = excluded.name, deliver_standby_events = excluded.deliver_standby_events,
                        next_switchboard_integration_id = excluded.next_switchboard_integration_id,
                        message_history_count = excluded.message_history_count
                    """,
                arguments: [
                    integration.id.rawValue, integration.switchboardId.rawValue, integration.integrationId.rawValue, integration.integrationType,
                    integration.name, integration.deliverStandbyEvents, integration.nextSwitchboardIntegrationId?.rawValue,
                    integration.messageHistoryCount, integration.createdAt.millisecondsSince1970,
                ])
        }
    }

    static func switchboard(_ row: Row) throws -> Switchboard {
        Switchboard(
            id: try resourceID(row.text("id")), appId: try resourceID(row.text("app_id")), enabled: try row.bool("enabled"),
            defaultSwitchboardIntegrationId: try row.optionalText("default_switchboard_integration_id").map(resourceID),
            createdAt: Timestamp(millisecondsSince1970: try row.integer("created_at")))
    }

    static func switchboardIntegration(_ row: Row) throws -> SwitchboardIntegration {
        SwitchboardIntegration(
            id: try resourceID(row.text("id")), switchboardId: try resourceID(row.text("switchboard_id")), name: try row.text("name"),
            integrationId: try resourceID(row.text("integration_id")), integrationType: try row.text("integration_type"),
            deliverStandbyEvents: try row.bool("deliver_standby_events"),
            nextSwitchboardIntegrationId: try row.optionalText("next_switchboard_integration_id").map(resourceID),
            messageHistoryCount: try row.optionalInteger("message_history_count").map { Int($0) },
            createdAt: Timestamp(millisecondsSince1970: try row.integer("created_at")))
    }
}

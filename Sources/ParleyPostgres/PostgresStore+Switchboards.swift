import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func switchboardSetup(appId: ResourceID) async throws -> SwitchboardSetup? {
        try await snapshot { connection in try await Self.switchboardSetup(connection, appId: appId) }
    }

    public func changeSwitchboard<Result: Sendable>(
        appId: ResourceID, _ change: @escaping @Sendable (inout SwitchboardSetup?) throws -> Result
    ) async throws -> Result {
        try await write { connection in
            // The app's row locked first: changes to one app's switchboard take turns across
            // nodes, so limits and references are checked against the latest setup.
            try await connection.run("SELECT 1 FROM apps WHERE id = \(appId.rawValue) FOR NO KEY UPDATE")
            let before = try await Self.switchboardSetup(connection, appId: appId)
            var after = before
            let result = try change(&after)
            try await Self.persist(connection, from: before, to: after)
            return result
        }
    }

    public func changeControl(
        appId: ResourceID, conversationId: ResourceID,
        _ decide: @escaping @Sendable (inout Conversation, SwitchboardSetup?, _ latestMessages: [Message]) throws -> [OutboxEvent]
    ) async throws -> Bool {
        try await write { connection in
            // The conversation's row locked: control actions on it from every node take turns, so
            // each decides on the state the previous one left.
            guard var conversation = try await Self.fetchConversation(connection, appId: appId, id: conversationId, lock: true) else { return false }
            let setup = try await Self.switchboardSetup(connection, appId: appId)
            let latest = try await connection.rows(
                "SELECT * FROM messages WHERE conversation_id = \(conversationId.rawValue) ORDER BY id DESC LIMIT 10"
            ).map(Self.message)
            let events = try decide(&conversation, setup, latest.reversed())
            try await Self.setControl(connection, conversation)
            try await Self.record(connection, events, switchboards: [appId: setup])
            return true
        }
    }

    /// The app's switchboard with its integrations in creation order.
    static func switchboardSetup(_ connection: PostgresConnection, appId: ResourceID) async throws -> SwitchboardSetup? {
        guard let switchboard = try await connection.row("SELECT * FROM switchboards WHERE app_id = \(appId.rawValue)").map(Self.switchboard)
        else { return nil }
        let integrations = try await connection.rows(
            "SELECT * FROM switchboard_integrations WHERE switchboard_id = \(switchboard.id.rawValue) ORDER BY id"
        ).map(Self.switchboardIntegration)
        return SwitchboardSetup(switchboard: switchboard, integrations: integrations)
    }

    /// Writes a conversation's active and pending switchboard integrations.
    static func setControl(_ connection: PostgresConnection, _ conversation: Conversation) async throws {
        try await connection.run(
            """
            UPDATE conversations SET active_switchboard_integration_id = \(conversation.activeSwitchboardIntegration?.id.rawValue),
                                     pending_switchboard_integration_id = \(conversation.pendingSwitchboardIntegration?.id.rawValue)
            WHERE id = \(conversation.id.rawValue)
            """)
    }

    /// The difference between two setups of one app, written.
    private static func persist(_ connection: PostgresConnection, from before: SwitchboardSetup?, to after: SwitchboardSetup?) async throws {
        if let before, before.switchboard.id != after?.switchboard.id {
            // Its integrations go with it (ON DELETE CASCADE).
            try await connection.run("DELETE FROM switchboards WHERE id = \(before.switchboard.id.rawValue)")
        }
        guard let after else { return }
        let switchboard = after.switchboard
        try await connection.run(
            """
            INSERT INTO switchboards (id, app_id, enabled, default_switchboard_integration_id, created_at)
            VALUES (\(switchboard.id.rawValue), \(switchboard.appId.rawValue), \(switchboard.enabled),
                    \(switchboard.defaultSwitchboardIntegrationId?.rawValue), \(switchboard.createdAt.millisecondsSince1970))
            ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled,
                default_switchboard_integration_id = EXCLUDED.default_switchboard_integration_id
            """)
        let kept = Set(after.integrations.map(\.id))
        for removed in (before?.integrations ?? []) where !kept.contains(removed.id) {
            try await connection.run("DELETE FROM switchboard_integrations WHERE id = \(removed.id.rawValue)")
        }
        let unchanged = Set(before?.integrations ?? [])
        for integration in after.integrations where !unchanged.contains(integration) {
            try await connection.run(
                """
                INSERT INTO switchboard_integrations (id, switchboard_id, integration_id, integration_type, name, deliver_standby_events,
                                                      next_switchboard_integration_id, message_history_count, created_at)
                VALUES (\(integration.id.rawValue), \(integration.switchboardId.rawValue), \(integration.integrationId.rawValue),
                        \(integration.integrationType), \(integration.name), \(integration.deliverStandbyEvents),
                        \(integration.nextSwitchboardIntegrationId?.rawValue), \(integration.messageHistoryCount),
                        \(integration.createdAt.millisecondsSince1970))
                ON CONFLICT (id) DO UPDATE SET integration_id = EXCLUDED.integration_id, integration_type = EXCLUDED.integration_type,
                    name = EXCLUDED.name, deliver_standby_events = EXCLUDED.deliver_standby_events,
                    next_switchboard_integration_id = EXCLUDED.next_switchboard_integration_id,
                    message_history_count = EXCLUDED.message_history_count
                """)
        }
    }

    static func switchboard(_ row: Columns) throws -> Switchboard {
        Switchboard(
            id: try row.id("id"), appId: try row.id("app_id"), enabled: try row("enabled"),
            defaultSwitchboardIntegrationId: try row.optionalID("default_switchboard_integration_id"), createdAt: try row.timestamp("created_at"))
    }

    static func switchboardIntegration(_ row: Columns) throws -> SwitchboardIntegration {
        SwitchboardIntegration(
            id: try row.id("id"), switchboardId: try row.id("switchboard_id"), name: try row("name"), integrationId: try row.id("integration_id"),
            integrationType: try row("integration_type"), deliverStandbyEvents: try row("deliver_standby_events"),
            nextSwitchboardIntegrationId: try row.optionalID("next_switchboard_integration_id"),
            messageHistoryCount: try row("message_history_count", as: Int?.self), createdAt: try row.timestamp("created_at"))
    }
}

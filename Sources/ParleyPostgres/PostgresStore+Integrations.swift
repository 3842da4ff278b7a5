import Foundation
import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertIntegration(_ integration: Integration) async throws {
        try await write { connection in
            // A custom integration's inline webhook counts against the app's webhooks like any other.
            if !integration.webhooks.isEmpty {
                try await Self.requireWebhookRoom(connection, appId: integration.appId, adding: integration.webhooks.count)
            }
            try await connection.run(
                """
                INSERT INTO integrations (id, app_id, type, status, settings, secrets_hash, secrets_sealed)
                VALUES (\(integration.id.rawValue), \(integration.appId.rawValue), \(integration.type), \(integration.status),
                        \(try JSONColumn.encode(integration.settings)), \(integration.secrets.map { Data($0.hash) }),
                        \(integration.secrets.map { Data($0.sealed) }))
                """)
            for webhook in integration.webhooks { try await Self.insert(connection, webhook) }
        }
    }

    public func integration(appId: ResourceID, id: ResourceID) async throws -> Integration? {
        try await snapshot { connection in try await Self.fetchIntegration(connection, appId: appId, id: id) }
    }

    public func integrationAppId(id: ResourceID) async throws -> ResourceID? {
        try await read { connection in try await connection.row("SELECT app_id FROM integrations WHERE id = \(id.rawValue)").map { try $0.id("app_id") } }
    }

    public func integrations(appId: ResourceID, types: [String]?, page: PageRequest) async throws -> Page<Integration> {
        try await snapshot { connection in
            var filter = SQL()
            let app = try filter.bind(appId.rawValue)
            filter.append("app_id = \(app)")
            if let types {
                let list = try filter.bind(types)
                filter.append(" AND type = ANY(\(list))")
            }
            let page = try await PostgresPaging.page(connection, table: "integrations", filter: filter, request: page, decode: Self.integration)
            // One query for the webhooks of every custom integration on the page, not one per row.
            let webhooks = try await Self.webhooks(connection, integrationIds: page.items.filter { $0.type == "custom" }.map(\.id))
            return page.map { integration in
                var integration = integration
                integration.webhooks = webhooks[integration.id] ?? []
                return integration
            }
        }
    }

    public func updateIntegration(
        appId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Integration) throws -> Void
    ) async throws -> Integration? {
        try await write { connection in
            guard var integration = try await Self.fetchIntegration(connection, appId: appId, id: id, lock: true) else { return nil }
            try change(&integration)
            try await connection.run(
                """
                UPDATE integrations SET status = \(integration.status), settings = \(try JSONColumn.encode(integration.settings)),
                                        secrets_hash = \(integration.secrets.map { Data($0.hash) }),
                                        secrets_sealed = \(integration.secrets.map { Data($0.sealed) })
                WHERE id = \(id.rawValue)
                """)
            return integration
        }
    }

    public func deleteIntegration(appId: ResourceID, id: ResourceID) async throws -> Bool {
        defer { caches.keys.invalidate() }
        return try await write { connection in
            guard try await connection.run(
                "DELETE FROM integrations WHERE id = \(id.rawValue) AND app_id = \(appId.rawValue) RETURNING id") > 0
            else { return false }
            // Its keys stop working in the same transaction (api_keys predates integrations, so no FK).
            try await connection.run("DELETE FROM api_keys WHERE integration_id = \(id.rawValue)")
            return true
        }
    }

    public func insertWebhook(_ webhook: Webhook, appId: ResourceID, limitPerApp: Int) async throws {
        try await write { connection in
            try await Self.requireWebhookRoom(connection, appId: appId, adding: 1, limit: limitPerApp)
            try await Self.insert(connection, webhook)
        }
    }

    public func updateWebhook(
        integrationId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Webhook) throws -> Void
    ) async throws -> Webhook? {
        try await write { connection in
            guard var webhook = try await connection.row(
                "SELECT * FROM webhooks WHERE id = \(id.rawValue) AND integration_id = \(integrationId.rawValue) FOR NO KEY UPDATE"
            ).map(Self.webhook) else { return nil }
            try change(&webhook)
            try await connection.run(
                """
                UPDATE webhooks SET target = \(webhook.target), triggers = \(try JSONColumn.encode(webhook.triggers)),
                                    include_full_user = \(webhook.includeFullUser), include_full_source = \(webhook.includeFullSource)
                WHERE id = \(id.rawValue)
                """)
            return webhook
        }
    }

    public func deleteWebhook(integrationId: ResourceID, id: ResourceID) async throws -> Bool {
        try await write { connection in
            try await connection.run(
                "DELETE FROM webhooks WHERE id = \(id.rawValue) AND integration_id = \(integrationId.rawValue) RETURNING id") > 0
        }
    }

    /// "10 webhooks per app", counted inside the writing transaction after locking the app's row,
    /// so concurrent inserts for one app take turns and the limit is exact.
    static func requireWebhookRoom(
        _ connection: PostgresConnection, appId: ResourceID, adding: Int, limit: Int = WebhookService.webhookLimit
    ) async throws {
        try await connection.run("SELECT 1 FROM apps WHERE id = \(appId.rawValue) FOR NO KEY UPDATE")
        let count = try await connection.row(
            """
            SELECT count(*) AS n FROM webhooks JOIN integrations ON integrations.id = webhooks.integration_id
            WHERE integrations.app_id = \(appId.rawValue)
            """)?("n", as: Int.self) ?? 0
        guard count + adding <= limit else { throw ParleyError.badRequest("An app can have at most \(limit) webhooks") }
    }

    static func fetchIntegration(
        _ connection: PostgresConnection, appId: ResourceID, id: ResourceID, lock: Bool = false
    ) async throws -> Integration? {
        guard var integration = try await connection.row(
            "SELECT * FROM integrations WHERE id = \(id.rawValue) AND app_id = \(appId.rawValue)\(unescaped: lock ? " FOR NO KEY UPDATE" : "")"
        ).map(integration) else { return nil }
        integration.webhooks = try await webhooks(connection, integrationIds: [integration.id])[integration.id] ?? []
        return integration
    }

    static func integration(_ row: Columns) throws -> Integration {
        let hash = try row("secrets_hash", as: Data?.self)
        let sealed = try row("secrets_sealed", as: Data?.self)
        return Integration(
            id: try row.id("id"), appId: try row.id("app_id"), type: try row("type"), status: try row("status"),
            settings: try row.json([String: JSONValue].self, "settings"),
            secrets: sealed.map { SealedSecret(hash: Array(hash ?? Data()), sealed: Array($0)) })
    }

    static func webhooks(_ connection: PostgresConnection, integrationIds: [ResourceID]) async throws -> [ResourceID: [Webhook]] {
        guard !integrationIds.isEmpty else { return [:] }
        var result: [ResourceID: [Webhook]] = [:]
        for row in try await connection.rows(
            "SELECT * FROM webhooks WHERE integration_id = ANY(\(integrationIds.map(\.rawValue))) ORDER BY id")
        {
            let webhook = try webhook(row)
            result[webhook.integrationId, default: []].append(webhook)
        }
        return result
    }

    static func webhook(_ row: Columns) throws -> Webhook {
        let id = try row.id("id")
        // Sealed at every start since v7; a clear one here was written by an older node meanwhile.
        guard let sealed = try row("secret_sealed", as: Data?.self) else {
            throw CorruptRow("webhook \(id) has no sealed secret; restart a node to seal it")
        }
        return Webhook(
            id: id, integrationId: try row.id("integration_id"), version: try row("version"), target: try row("target"),
            triggers: try row.json([EventType].self, "triggers"), secret: SealedSecret(hash: [], sealed: Array(sealed)),
            includeFullUser: try row("include_full_user"), includeFullSource: try row("include_full_source"))
    }

    static func insert(_ connection: PostgresConnection, _ webhook: Webhook) async throws {
        try await connection.run(
            """
            INSERT INTO webhooks (id, integration_id, version, target, triggers, secret, secret_sealed, include_full_user, include_full_source)
            VALUES (\(webhook.id.rawValue), \(webhook.integrationId.rawValue), \(webhook.version), \(webhook.target),
                    \(try JSONColumn.encode(webhook.triggers)), '', \(Data(webhook.secret.sealed)), \(webhook.includeFullUser),
                    \(webhook.includeFullSource))
            """)
    }

    public func sealClearWebhookSecrets(_ seal: @escaping @Sendable (String) throws -> SealedSecret) async throws -> Int {
        try await write { connection in
            var count = 0
            for row in try await connection.rows("SELECT id, secret FROM webhooks WHERE secret_sealed IS NULL FOR UPDATE") {
                let sealed = try seal(try row("secret", as: String.self))
                try await connection.run(
                    "UPDATE webhooks SET secret_sealed = \(Data(sealed.sealed)), secret = '' WHERE id = \(try row("id", as: String.self))")
                count += 1
            }
            return count
        }
    }
}

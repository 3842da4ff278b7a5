import Foundation
import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertIntegration(_ integration: Integration) async throws {
        try await write { db in
            // A custom integration's inline webhook counts against the app's webhooks like any other.
            if !integration.webhooks.isEmpty {
                try Self.requireWebhookRoom(db, appId: integration.appId, adding: integration.webhooks.count)
            }
            try db.execute(
                sql: """
                    INSERT INTO integrations (id, app_id, type, status, settings, secrets_hash, secrets_sealed)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    integration.id.rawValue, integration.appId.rawValue, integration.type, integration.status,
                    try JSONColumn.encode(integration.settings), integration.secrets.map { Data($0.hash) },
                    integration.secrets.map { Data($0.sealed) },
                ])
            for webhook in integration.webhooks { try Self.insert(db, webhook) }
        }
    }

    public func integration(appId: ResourceID, id: ResourceID) async throws -> Integration? {
        try await read { db in try Self.fetchIntegration(db, appId: appId, id: id) }
    }

    public func integrationAppId(id: ResourceID) async throws -> ResourceID? {
        try readStatement { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT app_id FROM integrations WHERE id = ?"), arguments: [id.rawValue]).map(Self.resourceID)
        }
    }

    public func integrations(appId: ResourceID, types: [String]?, page: PageRequest) async throws -> Page<Integration> {
        try await read { db in
            var filter = "app_id = ?"
            var arguments: StatementArguments = [appId.rawValue]
            if let types {
                filter += " AND type IN (\(types.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(types)
                if types.isEmpty { filter += " AND 0" }
            }
            let page = try SQLitePaging.page(db, table: "integrations", filter: filter, arguments: arguments, request: page, decode: Self.integration)
            // One query for the webhooks of every custom integration on the page, not one per row.
            let webhooks = try Self.webhooks(db, integrationIds: page.items.filter { $0.type == "custom" }.map(\.id))
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
        try await write { db in
            guard var integration = try Self.fetchIntegration(db, appId: appId, id: id) else { return nil }
            try change(&integration)
            try db.execute(
                sql: "UPDATE integrations SET status = ?, settings = ?, secrets_hash = ?, secrets_sealed = ? WHERE id = ?",
                arguments: [
                    integration.status, try JSONColumn.encode(integration.settings), integration.secrets.map { Data($0.hash) },
                    integration.secrets.map { Data($0.sealed) }, id.rawValue,
                ])
            return integration
        }
    }

    public func deleteIntegration(appId: ResourceID, id: ResourceID) async throws -> Bool {
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(sql: "DELETE FROM integrations WHERE id = ? AND app_id = ?", arguments: [id.rawValue, appId.rawValue])
            guard db.changesCount > 0 else { return false }
            // Its keys stop working in the same transaction (api_keys predates integrations, so no FK).
            try db.execute(sql: "DELETE FROM api_keys WHERE integration_id = ?", arguments: [id.rawValue])
            return true
        }
    }

    public func insertWebhook(_ webhook: Webhook, appId: ResourceID, limitPerApp: Int) async throws {
        try await write { db in
            try Self.requireWebhookRoom(db, appId: appId, adding: 1, limit: limitPerApp)
            try Self.insert(db, webhook)
        }
    }

    public func updateWebhook(
        integrationId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Webhook) throws -> Void
    ) async throws -> Webhook? {
        try await write { db in
            guard var webhook = try Self.webhooks(db, integrationIds: [integrationId])[integrationId]?.first(where: { $0.id == id }) else {
                return nil
            }
            try change(&webhook)
            try db.execute(
                sql: "UPDATE webhooks SET target = ?, triggers = ?, include_full_user = ?, include_full_source = ? WHERE id = ?",
                arguments: [webhook.target, try JSONColumn.encode(webhook.triggers), webhook.includeFullUser, webhook.includeFullSource, id.rawValue])
            return webhook
        }
    }

    public func deleteWebhook(integrationId: ResourceID, id: ResourceID) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND integration_id = ?", arguments: [id.rawValue, integrationId.rawValue])
            return db.changesCount > 0
        }
    }

    /// "10 webhooks per app", counted inside the writing transaction.
    static func requireWebhookRoom(_ db: Database, appId: ResourceID, adding: Int, limit: Int = WebhookService.webhookLimit) throws {
        let count = try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM webhooks JOIN integrations ON integrations.id = webhooks.integration_id WHERE integrations.app_id = ?",
            arguments: [appId.rawValue]) ?? 0
        guard count + adding <= limit else { throw ParleyError.badRequest("An app can have at most \(limit) webhooks") }
    }

    static func fetchIntegration(_ db: Database, appId: ResourceID, id: ResourceID) throws -> Integration? {
        guard var integration = try Self.decodeOne(
            db, sql: "SELECT * FROM integrations WHERE id = ? AND app_id = ?", arguments: [id.rawValue, appId.rawValue], integration) else { return nil }
        integration.webhooks = try webhooks(db, integrationIds: [integration.id])[integration.id] ?? []
        return integration
    }

    static func integration(_ row: Row) throws -> Integration {
        let hash: Data? = try row.decode(forColumn: "secrets_hash")
        let sealed: Data? = try row.decode(forColumn: "secrets_sealed")
        return Integration(
            id: try resourceID(try row.decode(forColumn: "id")), appId: try resourceID(try row.decode(forColumn: "app_id")), type: try row.decode(forColumn: "type"), status: try row.decode(forColumn: "status"),
            settings: try JSONColumn.decode([String: JSONValue].self, try row.decode(forColumn: "settings")),
            secrets: sealed.map { SealedSecret(hash: Array(hash ?? Data()), sealed: Array($0)) })
    }

    static func webhooks(_ db: Database, integrationIds: [ResourceID]) throws -> [ResourceID: [Webhook]] {
        guard !integrationIds.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT * FROM webhooks WHERE integration_id IN (\(integrationIds.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
            arguments: StatementArguments(integrationIds.map(\.rawValue)))
        var result: [ResourceID: [Webhook]] = [:]
        for row in rows {
            let webhook = try webhook(row)
            result[webhook.integrationId, default: []].append(webhook)
        }
        return result
    }

    static func webhook(_ row: Row) throws -> Webhook {
        let id = try resourceID(row.text("id"))
        // Sealed at every start since v7; a clear one here was written by an older node meanwhile.
        guard let sealed = try row.decode(Data?.self, forColumn: "secret_sealed") else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "webhook \(id) has no sealed secret; restart a node to seal it")
        }
        return Webhook(
            id: id, integrationId: try resourceID(row.text("integration_id")), version: try row.text("version"),
            target: try row.text("target"), triggers: try JSONColumn.decode([EventType].self, row.text("triggers")),
            secret: SealedSecret(hash: [], sealed: Array(sealed)), includeFullUser: try row.bool("include_full_user"),
            includeFullSource: try row.bool("include_full_source"))
    }

    static func insert(_ db: Database, _ webhook: Webhook) throws {
        try db.execute(
            sql: """
                INSERT INTO webhooks (id, integration_id, version, target, triggers, secret, secret_sealed, include_full_user, include_full_source)
                VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)
                """,
            arguments: [
                webhook.id.rawValue, webhook.integrationId.rawValue, webhook.version, webhook.target,
                try JSONColumn.encode(webhook.triggers), Data(webhook.secret.sealed), webhook.includeFullUser, webhook.includeFullSource,
            ])
    }

    public func sealClearWebhookSecrets(_ seal: @escaping @Sendable (String) throws -> SealedSecret) async throws -> Int {
        try await write { db in
            let clear = try Row.fetchAll(db, sql: "SELECT id, secret FROM webhooks WHERE secret_sealed IS NULL")
            for row in clear {
                try db.execute(
                    sql: "UPDATE webhooks SET secret_sealed = ?, secret = '' WHERE id = ?",
                    arguments: [Data(try seal(try row.text("secret")).sealed), try row.text("id")])
            }
            return clear.count
        }
    }
}

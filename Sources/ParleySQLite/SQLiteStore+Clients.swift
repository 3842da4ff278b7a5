import GRDB
import ParleyDomain

extension SQLiteStore {
    public func insertClient(_ client: Client, job: ChannelJob, participant: Participant?, events: [OutboxEvent]) async throws {
        try await pool.write { db in
            if let participant {
                let count = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM participants WHERE conversation_id = ?", arguments: [participant.conversationId.rawValue]) ?? 0
                guard count < Conversation.maximumParticipants else {
                    throw ParleyError.badRequest("Too many participants: a conversation holds at most \(Conversation.maximumParticipants)")
                }
                try Self.insert(db, participant)
            }
            try db.execute(
                sql: """
                    INSERT INTO clients (id, app_id, user_id, integration_id, type, status, external_id, display_name, linked_at,
                                         last_seen, conversation_id, is_primary)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    client.id.rawValue, client.appId.rawValue, client.userId.rawValue, client.integrationId.rawValue, client.type,
                    client.status.rawValue, client.externalId, client.displayName, client.linkedAt?.millisecondsSince1970,
                    client.lastSeen?.millisecondsSince1970, client.conversationId?.rawValue, client.primary,
                ])
            try db.execute(
                sql: """
                    INSERT INTO channel_jobs (id, app_id, integration_id, client_id, activates_client, payload, state, attempts, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, 0)
                    """,
                arguments: [
                    job.id.rawValue, job.appId.rawValue, job.integrationId.rawValue, job.clientId.rawValue, job.activatesClient,
                    try StoredJSON.encode(job.payload),
                ])
            try Self.record(db, events)
        }
    }

    public func client(id: ResourceID) async throws -> Client? {
        try await pool.read { db in try Self.fetchClient(db, id: id) }
    }

    public func clients(userId: ResourceID, page: PageRequest) async throws -> Page<Client> {
        try await pool.read { db in
            try SQLitePaging.page(db, table: "clients", filter: "user_id = ?", arguments: [userId.rawValue], request: page, decode: Self.client)
        }
    }

    public func deleteClient(id: ResourceID, events: @Sendable (Client) -> [OutboxEvent]) async throws -> Bool {
        try await pool.write { db in
            guard let client = try Self.fetchClient(db, id: id) else { return false }
            try Self.removeClient(db, client)
            try Self.record(db, events(client))
            return true
        }
    }

    public func dueChannelJobs(now: Timestamp, limit: Int) async throws -> [ChannelJob] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM channel_jobs WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                arguments: [now.millisecondsSince1970, limit]
            ).map(Self.channelJob)
        }
    }

    public func recordChannelJob(
        _ job: ChannelJob, outcome: DeliveryOutcome, effect: ChannelJobEffect, events: @Sendable (Client) -> [OutboxEvent]
    ) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE channel_jobs SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?, last_error = ?,
                                            next_attempt_at = ?
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [
                    outcome.state.rawValue, outcome.at.millisecondsSince1970, outcome.statusCode, outcome.error,
                    (outcome.nextAttemptAt ?? outcome.at).millisecondsSince1970, job.id.rawValue,
                ])
            // Recorded already (a concurrent dispatcher), or the client is gone: nothing more to do.
            guard db.changesCount > 0, var client = try Self.fetchClient(db, id: job.clientId) else { return }
            switch effect {
            case .unchanged:
                return
            case .remove:
                try Self.removeClient(db, client)
            case .activate(let at):
                client.status = .active
                client.linkedAt = at
                try db.execute(
                    sql: "UPDATE clients SET status = ?, linked_at = ? WHERE id = ?",
                    arguments: [client.status.rawValue, at.millisecondsSince1970, client.id.rawValue])
                if let conversationId = client.conversationId {
                    try Self.changeAssociations(db, conversationId: conversationId, userId: client.userId) { associations in
                        let association = ClientAssociation(type: client.type, clientId: client.id.rawValue)
                        if client.primary { associations.insert(association, at: 0) } else { associations.append(association) }
                    }
                }
            }
            try Self.record(db, events(client))
        }
    }

    public func channelJob(id: ResourceID) async throws -> ChannelJobRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM channel_jobs WHERE id = ?", arguments: [id.rawValue]).map { row in
                ChannelJobRecord(
                    job: try Self.channelJob(row), state: DeliveryOutcome.State(rawValue: row["state"]) ?? .pending,
                    lastStatusCode: row["last_status_code"], lastError: row["last_error"])
            }
        }
    }

    /// Deletes a client and drops it from the clientAssociations of its conversation.
    static func removeClient(_ db: Database, _ client: Client) throws {
        try db.execute(sql: "DELETE FROM clients WHERE id = ?", arguments: [client.id.rawValue])
        if let conversationId = client.conversationId {
            try changeAssociations(db, conversationId: conversationId, userId: client.userId) { associations in
                associations.removeAll { $0.clientId == client.id.rawValue }
            }
        }
    }

    static func changeAssociations(
        _ db: Database, conversationId: ResourceID, userId: ResourceID, _ change: (inout [ClientAssociation]) -> Void
    ) throws {
        guard let stored = try String.fetchOne(
            db, sql: "SELECT client_associations FROM participants WHERE conversation_id = ? AND user_id = ?",
            arguments: [conversationId.rawValue, userId.rawValue])
        else { return }
        var associations = try StoredJSON.decode([ClientAssociation].self, stored)
        change(&associations)
        try db.execute(
            sql: "UPDATE participants SET client_associations = ? WHERE conversation_id = ? AND user_id = ?",
            arguments: [try StoredJSON.encode(associations), conversationId.rawValue, userId.rawValue])
    }

    static func fetchClient(_ db: Database, id: ResourceID) throws -> Client? {
        try Row.fetchOne(db, sql: "SELECT * FROM clients WHERE id = ?", arguments: [id.rawValue]).map(client)
    }

    static func client(_ row: Row) throws -> Client {
        Client(
            id: try resourceID(row["id"]), appId: try resourceID(row["app_id"]), userId: try resourceID(row["user_id"]), type: row["type"],
            status: Client.Status(rawValue: row["status"]) ?? .pending, integrationId: try resourceID(row["integration_id"]),
            externalId: row["external_id"], displayName: row["display_name"],
            linkedAt: (row["linked_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            lastSeen: (row["last_seen"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            conversationId: try (row["conversation_id"] as String?).map(resourceID), primary: row["is_primary"])
    }

    static func channelJob(_ row: Row) throws -> ChannelJob {
        ChannelJob(
            id: try resourceID(row["id"]), appId: try resourceID(row["app_id"]), integrationId: try resourceID(row["integration_id"]),
            clientId: try resourceID(row["client_id"]), activatesClient: row["activates_client"],
            payload: try StoredJSON.decode([String: String].self, row["payload"]), attempts: row["attempts"])
    }
}

import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertClient(_ client: Client, job: ChannelJob?, participant: Participant?, events: [OutboxEvent]) async throws {
        try await write { db in
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
                                         last_seen, conversation_id, is_primary, confirmation, subject)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    client.id.rawValue, client.appId.rawValue, client.userId.rawValue, client.integrationId.rawValue, client.type,
                    client.status.rawValue, client.externalId, client.displayName, client.linkedAt?.millisecondsSince1970,
                    client.lastSeen?.millisecondsSince1970, client.conversationId?.rawValue, client.primary, client.confirmation.rawValue,
                    client.subject,
                ])
            if client.status == .active { try Self.associate(db, client) }
            if let job { try Self.insert(db, job) }
            try Self.record(db, events)
        }
    }

    public func client(id: ResourceID) async throws -> Client? {
        try await read { db in try Self.fetchClient(db, id: id) }
    }

    public func clients(userId: ResourceID, page: PageRequest) async throws -> Page<Client> {
        try await read { db in
            try SQLitePaging.page(db, table: "clients", filter: "user_id = ?", arguments: [userId.rawValue], request: page, decode: Self.client)
        }
    }

    public func clients(integrationId: ResourceID, externalId: String) async throws -> [Client] {
        try await read { db in
            try Self.decodeAll(
                db, sql: "SELECT * FROM clients WHERE integration_id = ? AND external_id = ? ORDER BY id DESC",
                arguments: [integrationId.rawValue, externalId], Self.client)
        }
    }

    /// The active clients linked for a conversation (`client.conversationId`), in creation order:
    /// where a business message in that conversation can be delivered (see `appendMessage`).
    static func activeClients(_ db: Database, conversationId: ResourceID) throws -> [Client] {
        // On every business PostMessage, inside its write: compiled once per connection.
        try DirectStatement(db, sql: "SELECT * FROM clients WHERE conversation_id = ? AND status = 'active' ORDER BY id")
            .rows([.text(conversationId.rawValue)], Self.client)
    }

    public func pendingClients(confirmation: Client.Confirmation, createdBefore before: Timestamp, limit: Int) async throws -> [Client] {
        try await read { db in
            try Self.decodeAll(
                db, sql: "SELECT * FROM clients WHERE status = 'pending' AND confirmation = ? AND id < ? ORDER BY id LIMIT ?",
                arguments: [confirmation.rawValue, ResourceID.earliest(at: before).rawValue, limit], Self.client)
        }
    }

    public func activateClient(
        id: ResourceID, _ activation: ClientActivation, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws -> Client? {
        try await write { db in
            guard let client = try Self.fetchClient(db, id: id), client.status == .pending else { return nil }
            let active = try Self.activate(db, client, activation)
            try Self.record(db, events(active))
            return active
        }
    }

    public func changeClientStatus(
        id: ResourceID, from: Client.Status, to: Client.Status, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws -> Client? {
        try await write { db in
            guard var client = try Self.fetchClient(db, id: id), client.status == from else { return nil }
            try db.execute(sql: "UPDATE clients SET status = ? WHERE id = ?", arguments: [to.rawValue, id.rawValue])
            client.status = to
            try Self.record(db, events(client))
            return client
        }
    }

    public func recordChannelReport(jobId: ResourceID, events: [OutboxEvent]) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE channel_jobs SET reported = 1 WHERE id = ? AND reported = 0", arguments: [jobId.rawValue])
            guard db.changesCount > 0 else { return false }
            try Self.record(db, events)
            return true
        }
    }

    public func deleteClient(id: ResourceID, events: @escaping @Sendable (Client) -> [OutboxEvent]) async throws -> Bool {
        try await write { db in
            guard let client = try Self.fetchClient(db, id: id) else { return false }
            try Self.removeClient(db, client)
            try Self.record(db, events(client))
            return true
        }
    }

    public func dueChannelJobs(now: Timestamp, limit: Int) async throws -> [ChannelJob] {
        try await read { db in
            try Self.decodeAll(
                db, sql: "SELECT * FROM channel_jobs WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                arguments: [now.millisecondsSince1970, limit], Self.channelJob)
        }
    }

    public func recordChannelJob(
        _ job: ChannelJob, outcome: DeliveryOutcome, effect: ChannelJobEffect, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE channel_jobs SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?, last_error = ?,
                                            next_attempt_at = ?, external_message_id = COALESCE(?, external_message_id)
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [
                    outcome.state.rawValue, outcome.at.millisecondsSince1970, outcome.statusCode, outcome.error,
                    (outcome.nextAttemptAt ?? outcome.at).millisecondsSince1970, outcome.externalMessageId, job.id.rawValue,
                ])
            // Recorded already (a concurrent dispatcher), or the client is gone: nothing more to do.
            guard db.changesCount > 0, var client = try Self.fetchClient(db, id: job.clientId) else { return }
            switch effect {
            case .unchanged:
                break
            case .remove:
                try Self.removeClient(db, client)
            case .activate(let activation):
                // Only a pending client is activated: an inbound reply may have confirmed it first.
                guard client.status == .pending else { return }
                client = try Self.activate(db, client, activation)
            }
            try Self.record(db, events(client))
        }
    }

    public func channelJob(id: ResourceID) async throws -> ChannelJobRecord? {
        try await read { db in
            try Self.decodeOne(db, sql: "SELECT * FROM channel_jobs WHERE id = ?", arguments: [id.rawValue], Self.channelJobRecord)
        }
    }

    public func channelJob(integrationId: ResourceID, externalMessageId: String) async throws -> ChannelJobRecord? {
        try await read { db in
            try Self.decodeOne(
                db, sql: "SELECT * FROM channel_jobs WHERE integration_id = ? AND external_message_id = ? ORDER BY id DESC LIMIT 1",
                arguments: [integrationId.rawValue, externalMessageId], Self.channelJobRecord)
        }
    }

    static func channelJobRecord(_ row: Row) throws -> ChannelJobRecord {
        ChannelJobRecord(
            job: try channelJob(row), state: DeliveryOutcome.State(rawValue: try row.decode(forColumn: "state")) ?? .pending,
            lastStatusCode: try row.decode(forColumn: "last_status_code"), lastError: try row.decode(forColumn: "last_error"))
    }

    /// Makes a pending client active (or, for a merge, makes the anonymous user's client on the same
    /// address the active one) and returns the client that is now active.
    static func activate(_ db: Database, _ pending: Client, _ activation: ClientActivation) throws -> Client {
        for id in activation.displaced {
            if let other = try fetchClient(db, id: id) { try removeClient(db, other) }
        }
        var active = pending
        if let merge = activation.merge, let existing = try fetchClient(db, id: merge.survivingClientId),
            existing.userId == merge.discardedUserId
        {
            // The surviving client leaves its old conversation for the one the link was made for
            // (dissociated while its participant row is still the discarded user's).
            try dissociate(db, existing)
            try mergeUser(db, merge.discardedUserId, into: pending.userId)
            try removeClient(db, pending)
            active = existing
            active.userId = pending.userId
            active.conversationId = pending.conversationId
            active.primary = pending.primary
            active.confirmation = pending.confirmation
            active.subject = pending.subject ?? existing.subject
        }
        active.status = .active
        active.linkedAt = activation.at
        try db.execute(
            sql: "UPDATE clients SET user_id = ?, status = 'active', linked_at = ?, conversation_id = ?, is_primary = ?, confirmation = ?, subject = ? WHERE id = ?",
            arguments: [
                active.userId.rawValue, activation.at.millisecondsSince1970, active.conversationId?.rawValue, active.primary,
                active.confirmation.rawValue, active.subject, active.id.rawValue,
            ])
        try associate(db, active)
        return active
    }

    /// Folds one user into another: participations (where the survivor is not already a
    /// participant), the authorship of their messages there (and of those messages' files), and
    /// their clients move; the discarded user is deleted with whatever did not move.
    static func mergeUser(_ db: Database, _ discarded: ResourceID, into surviving: ResourceID) throws {
        let (from, to) = (discarded.rawValue, surviving.rawValue)
        try db.execute(
            sql: """
                UPDATE participants SET user_id = ?1
                WHERE user_id = ?2 AND conversation_id NOT IN (SELECT conversation_id FROM participants WHERE user_id = ?1)
                """,
            arguments: [to, from])
        try db.execute(
            sql: """
                UPDATE messages SET author = json_set(author, '$.userId', ?1)
                WHERE conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = ?1)
                  AND json_extract(author, '$.userId') = ?2
                """,
            arguments: [to, from])
        // The files of those messages stay theirs (else they would go with the discarded user).
        try db.execute(
            sql: """
                UPDATE attachments SET user_id = ?1
                WHERE user_id = ?2 AND conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = ?1)
                """,
            arguments: [to, from])
        try db.execute(sql: "UPDATE clients SET user_id = ? WHERE user_id = ?", arguments: [to, from])
        try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [from])
    }

    /// Puts an active client into its participant's clientAssociations: first when primary.
    static func associate(_ db: Database, _ client: Client) throws {
        guard let conversationId = client.conversationId else { return }
        try changeAssociations(db, conversationId: conversationId, userId: client.userId) { associations in
            let association = ClientAssociation(type: client.type, clientId: client.id.rawValue)
            associations.removeAll { $0.clientId == association.clientId }
            if client.primary { associations.insert(association, at: 0) } else { associations.append(association) }
        }
    }

    static func dissociate(_ db: Database, _ client: Client) throws {
        guard let conversationId = client.conversationId else { return }
        try changeAssociations(db, conversationId: conversationId, userId: client.userId) { associations in
            associations.removeAll { $0.clientId == client.id.rawValue }
        }
    }

    static func insert(_ db: Database, _ job: ChannelJob) throws {
        try db.execute(
            sql: """
                INSERT INTO channel_jobs (id, app_id, integration_id, client_id, activates_client, payload, state, attempts, next_attempt_at,
                                          message_id, conversation_id)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?)
                """,
            arguments: [
                job.id.rawValue, job.appId.rawValue, job.integrationId.rawValue, job.clientId.rawValue, job.activatesClient,
                try JSONColumn.encode(job.payload), job.messageId?.rawValue, job.conversationId?.rawValue,
            ])
    }

    /// Deletes a client and drops it from the clientAssociations of its conversation.
    static func removeClient(_ db: Database, _ client: Client) throws {
        try db.execute(sql: "DELETE FROM clients WHERE id = ?", arguments: [client.id.rawValue])
        try dissociate(db, client)
    }

    static func changeAssociations(
        _ db: Database, conversationId: ResourceID, userId: ResourceID, _ change: (inout [ClientAssociation]) -> Void
    ) throws {
        guard let stored = try String.fetchOne(
            db, sql: "SELECT client_associations FROM participants WHERE conversation_id = ? AND user_id = ?",
            arguments: [conversationId.rawValue, userId.rawValue])
        else { return }
        var associations = try JSONColumn.decode([ClientAssociation].self, stored)
        change(&associations)
        try db.execute(
            sql: "UPDATE participants SET client_associations = ? WHERE conversation_id = ? AND user_id = ?",
            arguments: [try JSONColumn.encode(associations), conversationId.rawValue, userId.rawValue])
    }

    static func fetchClient(_ db: Database, id: ResourceID) throws -> Client? {
        try Self.decodeOne(db, sql: "SELECT * FROM clients WHERE id = ?", arguments: [id.rawValue], client)
    }

    static func client(_ row: some ColumnValues) throws -> Client {
        Client(
            id: try resourceID(row.text("id")), appId: try resourceID(row.text("app_id")), userId: try resourceID(row.text("user_id")),
            type: try row.text("type"), status: Client.Status(rawValue: try row.text("status")) ?? .pending,
            integrationId: try resourceID(row.text("integration_id")),
            externalId: try row.text("external_id"), displayName: try row.optionalText("display_name"),
            linkedAt: try row.optionalInteger("linked_at").map(Timestamp.init(millisecondsSince1970:)),
            lastSeen: try row.optionalInteger("last_seen").map(Timestamp.init(millisecondsSince1970:)),
            conversationId: try row.optionalText("conversation_id").map(resourceID), primary: try row.bool("is_primary"),
            confirmation: Client.Confirmation(rawValue: try row.text("confirmation")) ?? .immediate, subject: try row.optionalText("subject"))
    }

    static func channelJob(_ row: Row) throws -> ChannelJob {
        ChannelJob(
            id: try resourceID(try row.decode(forColumn: "id")), appId: try resourceID(try row.decode(forColumn: "app_id")), integrationId: try resourceID(try row.decode(forColumn: "integration_id")),
            clientId: try resourceID(try row.decode(forColumn: "client_id")), activatesClient: try row.decode(forColumn: "activates_client"),
            payload: try JSONColumn.decode([String: String].self, try row.decode(forColumn: "payload")), attempts: try row.decode(forColumn: "attempts"),
            messageId: try (try row.decode(forColumn: "message_id") as String?).map(resourceID), conversationId: try (try row.decode(forColumn: "conversation_id") as String?).map(resourceID))
    }
}

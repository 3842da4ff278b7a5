import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertClient(_ client: Client, job: ChannelJob?, participant: Participant?, events: [OutboxEvent]) async throws {
        try await write { connection in
            if let participant {
                try await Self.lockForNewParticipant(connection, participant.conversationId)
                try await Self.requireParticipantRoom(connection, participant.conversationId, limit: Conversation.maximumParticipants)
                try await Self.insert(connection, participant)
            }
            try await connection.run(
                """
                INSERT INTO clients (id, app_id, user_id, integration_id, type, status, external_id, display_name, linked_at,
                                     last_seen, conversation_id, is_primary, confirmation, subject)
                VALUES (\(client.id.rawValue), \(client.appId.rawValue), \(client.userId.rawValue), \(client.integrationId.rawValue),
                        \(client.type), \(client.status.rawValue), \(client.externalId), \(client.displayName),
                        \(client.linkedAt?.millisecondsSince1970), \(client.lastSeen?.millisecondsSince1970), \(client.conversationId?.rawValue),
                        \(client.primary), \(client.confirmation.rawValue), \(client.subject))
                """)
            if client.status == .active { try await Self.associate(connection, client) }
            if let job { try await Self.insert(connection, job) }
            try await Self.record(connection, events)
        }
    }

    public func client(id: ResourceID) async throws -> Client? {
        try await read { connection in try await Self.fetchClient(connection, id: id) }
    }

    public func clients(userId: ResourceID, page: PageRequest) async throws -> Page<Client> {
        try await snapshot { connection in
            var filter = SQL()
            let user = try filter.bind(userId.rawValue)
            filter.append("user_id = \(user)")
            return try await PostgresPaging.page(connection, table: "clients", filter: filter, request: page, decode: Self.client)
        }
    }

    public func clients(integrationId: ResourceID, externalId: String) async throws -> [Client] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM clients WHERE integration_id = \(integrationId.rawValue) AND external_id = \(externalId) ORDER BY id DESC"
            ).map(Self.client)
        }
    }

    public func pendingClients(confirmation: Client.Confirmation, createdBefore before: Timestamp, limit: Int) async throws -> [Client] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT * FROM clients WHERE status = 'pending' AND confirmation = \(confirmation.rawValue)
                  AND id < \(ResourceID.earliest(at: before).rawValue) ORDER BY id LIMIT \(limit)
                """
            ).map(Self.client)
        }
    }

    public func activateClient(
        id: ResourceID, _ activation: ClientActivation, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws -> Client? {
        try await write { connection in
            // Locked: an inbound reply and the channel dispatcher may both try to activate it;
            // the second finds it no longer pending.
            guard let client = try await Self.fetchClient(connection, id: id, lock: true), client.status == .pending else { return nil }
            let active = try await Self.activate(connection, client, activation)
            try await Self.record(connection, events(active))
            return active
        }
    }

    public func changeClientStatus(
        id: ResourceID, from: Client.Status, to: Client.Status, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws -> Client? {
        try await write { connection in
            guard var client = try await Self.fetchClient(connection, id: id, lock: true), client.status == from else { return nil }
            try await connection.run("UPDATE clients SET status = \(to.rawValue) WHERE id = \(id.rawValue)")
            client.status = to
            try await Self.record(connection, events(client))
            return client
        }
    }

    public func recordChannelReport(jobId: ResourceID, events: [OutboxEvent]) async throws -> Bool {
        try await write { connection in
            // The row's lock makes a concurrent repeat wait and then find it reported.
            let marked = try await connection.run(
                "UPDATE channel_jobs SET reported = TRUE WHERE id = \(jobId.rawValue) AND NOT reported RETURNING id")
            guard marked > 0 else { return false }
            try await Self.record(connection, events)
            return true
        }
    }

    public func deleteClient(id: ResourceID, events: @escaping @Sendable (Client) -> [OutboxEvent]) async throws -> Bool {
        try await write { connection in
            guard let client = try await Self.fetchClient(connection, id: id, lock: true) else { return false }
            try await Self.removeClient(connection, client)
            try await Self.record(connection, events(client))
            return true
        }
    }

    /// Claims due jobs across nodes, like `dueBatches`: rows another node is claiming right now
    /// are skipped (`SKIP LOCKED`), claimed rows stay invisible until their lease ends, and
    /// `recordChannelJob` clears the claim. A node that dies mid-send leaves the job to be sent
    /// again by another node once the lease has passed (at least once).
    public func dueChannelJobs(now: Timestamp, limit: Int) async throws -> [ChannelJob] {
        let now = now.millisecondsSince1970
        let until = now + options.channelClaimMilliseconds
        // As in dueBatches: a plain statement first, so an idle poll costs one round trip.
        let anyDue = try await read { connection in
            try await connection.exists(
                """
                SELECT 1 FROM channel_jobs WHERE state = 'pending' AND next_attempt_at <= \(now)
                  AND (claimed_until IS NULL OR claimed_until <= \(now)) LIMIT 1
                """)
        }
        guard anyDue else { return [] }
        return try await write { connection in
            let jobs = try await connection.rows(
                """
                SELECT * FROM channel_jobs
                WHERE state = 'pending' AND next_attempt_at <= \(now) AND (claimed_until IS NULL OR claimed_until <= \(now))
                ORDER BY next_attempt_at, id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """
            ).map(Self.channelJob)
            if !jobs.isEmpty {
                try await connection.run("UPDATE channel_jobs SET claimed_until = \(until) WHERE id = ANY(\(jobs.map(\.id.rawValue)))")
            }
            return jobs
        }
    }

    public func recordChannelJob(
        _ job: ChannelJob, outcome: DeliveryOutcome, effect: ChannelJobEffect, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws {
        try await write { connection in
            let recorded = try await connection.run(
                """
                UPDATE channel_jobs SET state = \(outcome.state.rawValue), attempts = attempts + 1,
                                        last_attempt_at = \(outcome.at.millisecondsSince1970), last_status_code = \(outcome.statusCode),
                                        last_error = \(outcome.error),
                                        next_attempt_at = \((outcome.nextAttemptAt ?? outcome.at).millisecondsSince1970), claimed_until = NULL,
                                        external_message_id = COALESCE(\(outcome.externalMessageId), external_message_id)
                WHERE id = \(job.id.rawValue) AND state = 'pending'
                RETURNING id
                """)
            // Recorded already (another node), or the client is gone: nothing more to do.
            guard recorded > 0, var client = try await Self.fetchClient(connection, id: job.clientId, lock: true) else { return }
            switch effect {
            case .unchanged:
                break
            case .remove:
                try await Self.removeClient(connection, client)
            case .activate(let activation):
                // Only a pending client is activated: an inbound reply may have confirmed it first.
                guard client.status == .pending else { return }
                client = try await Self.activate(connection, client, activation)
            }
            try await Self.record(connection, events(client))
        }
    }

    public func channelJob(id: ResourceID) async throws -> ChannelJobRecord? {
        try await read { connection in
            try await connection.row("SELECT * FROM channel_jobs WHERE id = \(id.rawValue)").map(Self.channelJobRecord)
        }
    }

    public func channelJob(integrationId: ResourceID, externalMessageId: String) async throws -> ChannelJobRecord? {
        try await read { connection in
            try await connection.row(
                """
                SELECT * FROM channel_jobs WHERE integration_id = \(integrationId.rawValue) AND external_message_id = \(externalMessageId)
                ORDER BY id DESC LIMIT 1
                """
            ).map(Self.channelJobRecord)
        }
    }

    static func channelJobRecord(_ row: Columns) throws -> ChannelJobRecord {
        ChannelJobRecord(
            job: try channelJob(row), state: DeliveryOutcome.State(rawValue: try row("state")) ?? .pending,
            lastStatusCode: try row("last_status_code"), lastError: try row("last_error"))
    }

    /// Makes a pending client active (or, for a merge, makes the anonymous user's client on the same
    /// address the active one) and returns the client that is now active.
    static func activate(_ connection: PostgresConnection, _ pending: Client, _ activation: ClientActivation) async throws -> Client {
        for id in activation.displaced {
            if let other = try await fetchClient(connection, id: id, lock: true) { try await removeClient(connection, other) }
        }
        var active = pending
        if let merge = activation.merge, let existing = try await fetchClient(connection, id: merge.survivingClientId, lock: true),
            existing.userId == merge.discardedUserId
        {
            // The surviving client leaves its old conversation for the one the link was made for
            // (dissociated while its participant row is still the discarded user's).
            try await dissociate(connection, existing)
            try await mergeUser(connection, merge.discardedUserId, into: pending.userId)
            try await removeClient(connection, pending)
            active = existing
            active.userId = pending.userId
            active.conversationId = pending.conversationId
            active.primary = pending.primary
            active.confirmation = pending.confirmation
            active.subject = pending.subject ?? existing.subject
        }
        active.status = .active
        active.linkedAt = activation.at
        try await connection.run(
            """
            UPDATE clients SET user_id = \(active.userId.rawValue), status = 'active', linked_at = \(activation.at.millisecondsSince1970),
                               conversation_id = \(active.conversationId?.rawValue), is_primary = \(active.primary),
                               confirmation = \(active.confirmation.rawValue), subject = \(active.subject)
            WHERE id = \(active.id.rawValue)
            """)
        try await associate(connection, active)
        return active
    }

    /// Folds one user into another: participations (where the survivor is not already a
    /// participant), the authorship of their messages there (and of those messages' files), and
    /// their clients move; the discarded user is deleted with whatever did not move.
    static func mergeUser(_ connection: PostgresConnection, _ discarded: ResourceID, into surviving: ResourceID) async throws {
        let (from, to) = (discarded.rawValue, surviving.rawValue)
        try await connection.run(
            """
            UPDATE participants SET user_id = \(to)
            WHERE user_id = \(from) AND conversation_id NOT IN (SELECT conversation_id FROM participants WHERE user_id = \(to))
            """)
        // Authors are stored as JSON text; jsonb rewrites the one field (key order is not significant).
        try await connection.run(
            """
            UPDATE messages SET author = jsonb_set(author::jsonb, '{userId}', to_jsonb(\(to)::text))::text
            WHERE conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = \(to))
              AND author::jsonb ->> 'userId' = \(from)
            """)
        // The files of those messages stay theirs (else they would go with the discarded user).
        try await connection.run(
            """
            UPDATE attachments SET user_id = \(to)
            WHERE user_id = \(from) AND conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = \(to))
            """)
        try await connection.run("UPDATE clients SET user_id = \(to) WHERE user_id = \(from)")
        try await connection.run("DELETE FROM users WHERE id = \(from)")
    }

    /// Puts an active client into its participant's clientAssociations: first when primary.
    static func associate(_ connection: PostgresConnection, _ client: Client) async throws {
        guard let conversationId = client.conversationId else { return }
        let association = ClientAssociation(type: client.type, clientId: client.id.rawValue)
        let primary = client.primary
        try await changeAssociations(connection, conversationId: conversationId, userId: client.userId) { associations in
            associations.removeAll { $0.clientId == association.clientId }
            if primary { associations.insert(association, at: 0) } else { associations.append(association) }
        }
    }

    static func dissociate(_ connection: PostgresConnection, _ client: Client) async throws {
        guard let conversationId = client.conversationId else { return }
        let clientId = client.id.rawValue
        try await changeAssociations(connection, conversationId: conversationId, userId: client.userId) { associations in
            associations.removeAll { $0.clientId == clientId }
        }
    }

    static func insert(_ connection: PostgresConnection, _ job: ChannelJob) async throws {
        try await connection.run(
            """
            INSERT INTO channel_jobs (id, app_id, integration_id, client_id, activates_client, payload, state, attempts, next_attempt_at,
                                      message_id, conversation_id)
            VALUES (\(job.id.rawValue), \(job.appId.rawValue), \(job.integrationId.rawValue), \(job.clientId.rawValue),
                    \(job.activatesClient), \(try JSONColumn.encode(job.payload)), 'pending', 0, 0, \(job.messageId?.rawValue),
                    \(job.conversationId?.rawValue))
            """)
    }

    /// Deletes a client and drops it from the clientAssociations of its conversation.
    static func removeClient(_ connection: PostgresConnection, _ client: Client) async throws {
        try await connection.run("DELETE FROM clients WHERE id = \(client.id.rawValue)")
        try await dissociate(connection, client)
    }

    /// Read–change–write of one participant's clientAssociations, with the row locked meanwhile.
    static func changeAssociations(
        _ connection: PostgresConnection, conversationId: ResourceID, userId: ResourceID, _ change: (inout [ClientAssociation]) -> Void
    ) async throws {
        guard let stored = try await connection.row(
            """
            SELECT client_associations FROM participants
            WHERE conversation_id = \(conversationId.rawValue) AND user_id = \(userId.rawValue) FOR NO KEY UPDATE
            """)?("client_associations", as: String.self)
        else { return }
        var associations = try JSONColumn.decode([ClientAssociation].self, stored)
        change(&associations)
        try await connection.run(
            """
            UPDATE participants SET client_associations = \(try JSONColumn.encode(associations))
            WHERE conversation_id = \(conversationId.rawValue) AND user_id = \(userId.rawValue)
            """)
    }

    static func fetchClient(_ connection: PostgresConnection, id: ResourceID, lock: Bool = false) async throws -> Client? {
        try await connection.row("SELECT * FROM clients WHERE id = \(id.rawValue)\(unescaped: lock ? " FOR UPDATE" : "")").map(client)
    }

    static func client(_ row: Columns) throws -> Client {
        Client(
            id: try row.id("id"), appId: try row.id("app_id"), userId: try row.id("user_id"), type: try row("type"),
            status: Client.Status(rawValue: try row("status")) ?? .pending, integrationId: try row.id("integration_id"),
            externalId: try row("external_id"), displayName: try row("display_name"), linkedAt: try row.optionalTimestamp("linked_at"),
            lastSeen: try row.optionalTimestamp("last_seen"), conversationId: try row.optionalID("conversation_id"),
            primary: try row("is_primary"), confirmation: Client.Confirmation(rawValue: try row("confirmation") as String) ?? .immediate, subject: try row("subject"))
    }

    static func channelJob(_ row: Columns) throws -> ChannelJob {
        ChannelJob(
            id: try row.id("id"), appId: try row.id("app_id"), integrationId: try row.id("integration_id"), clientId: try row.id("client_id"),
            activatesClient: try row("activates_client"), payload: try row.json([String: String].self, "payload"),
            attempts: try row("attempts"), messageId: try row.optionalID("message_id"), conversationId: try row.optionalID("conversation_id"))
    }
}

import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    /// Advisory-lock namespace of the outbox (the first key of `pg_advisory_xact_lock(int, int)`).
    static let outboxLockSpace: Int32 = 0x5061_726c  // "Parl"

    /// Writes events and their deliveries inside the caller's transaction: one delivery per
    /// webhook of the app subscribed to the event's type, decided by one INSERT … SELECT.
    ///
    /// What is promised (docs/DECISIONS.md, "Webhook order on PostgreSQL"): each webhook receives
    /// one conversation's events in commit order. PostgreSQL draws identity values when rows are
    /// inserted, not when transactions commit, so `seq` alone is not commit order. Each event's
    /// `seq` and `conversation_seq` are therefore drawn only while holding a transaction-level
    /// advisory lock on its ordering key — its conversation, or for an event outside
    /// conversations its app — released at commit. The next writer of that key draws only after
    /// this transaction is committed and visible, so within a key `seq` order is commit order,
    /// and the dispatcher, which sends each webhook's pending deliveries in `seq` order one batch
    /// at a time (`dueBatches`), sends them in commit order. Writers of different conversations
    /// of one app no longer wait for each other. The lock is taken last in every transaction,
    /// after its row locks, so it adds no lock cycles; keys are locked in sorted order.
    /// `switchboards`: apps' switchboards the transaction has already read (nil: the app has none);
    /// the others are read once per call, and only for events a switchboard routes.
    /// `locked`: ordering keys whose lock an earlier statement of the transaction already took.
    static func record(
        _ connection: PostgresConnection, _ events: [OutboxEvent], switchboards: [ResourceID: SwitchboardSetup?] = [:],
        locked: Set<ResourceID> = []
    ) async throws {
        guard !events.isEmpty else { return }
        // A statement before the INSERT: under READ COMMITTED the INSERT's snapshot, taken when
        // it starts, then sees the previous holder's events (`conversation_seq`).
        for key in Set(events.map(\.orderingKey)).subtracting(locked).map(\.rawValue).sorted() {
            try await connection.run("SELECT pg_advisory_xact_lock(\(outboxLockSpace), hashtext(\(key)))")
        }
        var setups = switchboards
        for event in events {
            var muted: Set<ResourceID> = []
            if event.type.isRoutedBySwitchboard {
                let setup: SwitchboardSetup?
                if let known = setups[event.appId] {
                    setup = known
                } else {
                    setup = try await switchboardSetup(connection, appId: event.appId)
                    setups[event.appId] = .some(setup)
                }
                muted = setup?.mutedIntegrations(for: event) ?? []
            }
            let createdAt = event.createdAt.millisecondsSince1970
            // The switchboard's standby integrations that asked for no standby events are left out.
            let mutedIds = muted.map(\.rawValue).sorted()
            var statement = Prepared<RecordEventSQL>()
            try statement.bind(event.id.rawValue)
            try statement.bind(event.appId.rawValue)
            try statement.bind(event.type.rawValue)
            try statement.bind(event.conversationId?.rawValue)
            try statement.bind(createdAt)
            try statement.bind(JSONColumn.encode(EventJSON.payload(event.payload)))
            try statement.bind(mutedIds)
            let numbered = try await connection.rows(statement).first
            if let conversationId = event.conversationId, let seq = try numbered?("conversation_seq", as: Int64?.self) {
                CommittedNotices.current?.add(EventNotice(appId: event.appId, conversationId: conversationId, seq: seq, type: event.type))
            }
        }
    }

    /// An event into the outbox, numbered within its conversation, and a pending delivery for
    /// each webhook of the app that wants its type. Binds: id, app, type, conversation (or NULL),
    /// created at, payload, the muted integrations. The conversation's last number is read as
    /// one step back along `events_by_conversation`, whatever the plan PostgreSQL keeps for the
    /// prepared statement (an aggregate could read every event of the conversation).
    enum RecordEventSQL: PreparedSQL {
        static let sql = """
            WITH event AS (
                INSERT INTO events (id, app_id, type, conversation_id, conversation_seq, created_at, payload)
                VALUES ($1, $2, $3, $4,
                        CASE WHEN $4::text IS NULL THEN NULL
                             ELSE coalesce((SELECT conversation_seq FROM events WHERE conversation_id = $4 AND conversation_seq IS NOT NULL
                                            ORDER BY conversation_seq DESC LIMIT 1), 0) + 1 END,
                        $5, $6)
                RETURNING seq, conversation_seq
            ), delivered AS (
                INSERT INTO deliveries (webhook_id, event_seq, state, attempts, next_attempt_at)
                SELECT webhooks.id, event.seq, 'pending', 0, $5
                FROM event, webhooks JOIN integrations ON integrations.id = webhooks.integration_id
                WHERE integrations.app_id = $2 AND webhooks.triggers::jsonb ? $3 AND NOT (integrations.id = ANY($7))
            )
            SELECT conversation_seq FROM event
            """
    }

    /// Claims due work across nodes, one batch per webhook at a time. A webhook is due when the
    /// oldest (lowest `seq`) of its pending deliveries is due and no live lease holds it; its row
    /// is then locked `FOR NO KEY UPDATE SKIP LOCKED` (a node that finds it locked by another
    /// node's claim skips the webhook instead of waiting; writers' foreign-key checks are not
    /// blocked) and stamped `claimed_until = now + lease`. While the claim lasts no node sends to
    /// that webhook, even if a delivery with a lower `seq` commits meanwhile (another
    /// conversation's event, drawn earlier and committed later): each event goes out once in
    /// normal operation, and each conversation's events in commit order. `recordAttempt` clears
    /// the claim. A node that dies mid-send leaves its claim to expire; then any node sends the
    /// batch again (at least once).
    public func dueBatches(now: Timestamp, batchSize: Int, limit: Int) async throws -> [DeliveryBatch] {
        let now = now.millisecondsSince1970
        let until = now + options.webhookClaimMilliseconds
        // Most polls find nothing: one plain statement answers that, without a transaction's
        // BEGIN and COMMIT round trips (every node polls ten times a second).
        let anyDue = try await read { connection in
            try await connection.exists(
                """
                SELECT 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= \(now) AND (w.claimed_until IS NULL OR w.claimed_until <= \(now)) LIMIT 1
                """)
        }
        guard anyDue else { return [] }
        return try await write { connection in
            let heads = try await connection.rows(
                """
                SELECT w.*, integrations.app_id, d.event_seq, d.attempts FROM deliveries d
                JOIN webhooks w ON w.id = d.webhook_id JOIN integrations ON integrations.id = w.integration_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= \(now) AND (w.claimed_until IS NULL OR w.claimed_until <= \(now))
                  AND d.event_seq = (SELECT min(x.event_seq) FROM deliveries x WHERE x.state = 'pending' AND x.webhook_id = d.webhook_id)
                LIMIT \(limit)
                FOR NO KEY UPDATE OF w SKIP LOCKED
                """)
            var batches: [DeliveryBatch] = []
            for head in heads {
                let webhook = try Self.webhook(head)
                let seq = try head("event_seq", as: Int64.self)
                let events = try await connection.rows(
                    """
                    SELECT events.* FROM deliveries JOIN events ON events.seq = deliveries.event_seq
                    WHERE deliveries.webhook_id = \(webhook.id.rawValue) AND deliveries.state = 'pending' AND deliveries.event_seq >= \(seq)
                    ORDER BY deliveries.event_seq LIMIT \(batchSize)
                    """
                ).map(Self.event)
                batches.append(DeliveryBatch(
                    webhook: webhook, appId: try head.id("app_id"), events: events, attempts: try head("attempts", as: Int.self)))
            }
            if !batches.isEmpty {
                try await connection.run(
                    "UPDATE webhooks SET claimed_until = \(until) WHERE id = ANY(\(batches.map(\.webhook.id.rawValue)))")
            }
            return batches
        }
    }

    public func recordEvents(_ events: [OutboxEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write { connection in try await Self.record(connection, events) }
    }

    public func recordAttempt(_ batch: DeliveryBatch, outcome: DeliveryOutcome) async throws {
        try await write { connection in
            try await connection.run(
                """
                WITH released AS (UPDATE webhooks SET claimed_until = NULL WHERE id = \(batch.webhook.id.rawValue))
                UPDATE deliveries SET state = \(outcome.state.rawValue), attempts = attempts + 1, last_attempt_at = \(outcome.at.millisecondsSince1970),
                                      last_status_code = \(outcome.statusCode), last_error = \(outcome.error),
                                      next_attempt_at = \((outcome.nextAttemptAt ?? outcome.at).millisecondsSince1970)
                WHERE webhook_id = \(batch.webhook.id.rawValue) AND state = 'pending'
                  AND event_seq IN (SELECT seq FROM events WHERE id = ANY(\(batch.events.map(\.id.rawValue))))
                """)
        }
    }

    public func deliveries(webhookId: ResourceID, limit: Int) async throws -> [DeliveryRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT events.id, events.type, events.created_at, deliveries.* FROM deliveries
                JOIN events ON events.seq = deliveries.event_seq
                WHERE deliveries.webhook_id = \(webhookId.rawValue) ORDER BY deliveries.event_seq DESC LIMIT \(limit)
                """
            ).map { row in
                let state = DeliveryOutcome.State(rawValue: try row("state")) ?? .pending
                return DeliveryRecord(
                    eventId: try row.id("id"), type: try row.eventType("type"), createdAt: try row.timestamp("created_at"), state: state,
                    attempts: try row("attempts"), lastAttemptAt: try row.optionalTimestamp("last_attempt_at"),
                    lastStatusCode: try row("last_status_code"), lastError: try row("last_error"),
                    nextAttemptAt: state == .pending ? try row.timestamp("next_attempt_at") : nil)
            }
        }
    }

    public func redeliver(webhookId: ResourceID, eventId: ResourceID?, since: Timestamp?, now: Timestamp) async throws -> Int {
        try await write { connection in
            var sql = SQL()
            let next = try sql.bind(now.millisecondsSince1970)
            var filter = "webhook_id = \(try sql.bind(webhookId.rawValue))"
            if let eventId {
                filter += " AND event_seq = (SELECT seq FROM events WHERE id = \(try sql.bind(eventId.rawValue)))"
            }
            if let since {
                filter += " AND event_seq IN (SELECT seq FROM events WHERE created_at >= \(try sql.bind(since.millisecondsSince1970)))"
            }
            sql.append(
                "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(next), last_error = NULL WHERE \(filter) RETURNING 1")
            return try await connection.run(sql.query)
        }
    }

    public func conversationEvents(conversationId: ResourceID, after: Int64, limit: Int) async throws -> [SequencedEvent] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT * FROM events WHERE conversation_id = \(conversationId.rawValue) AND conversation_seq > \(after)
                ORDER BY conversation_seq LIMIT \(limit)
                """
            ).map { row in SequencedEvent(seq: try row("conversation_seq", as: Int64.self), event: try Self.event(row)) }
        }
    }

    public func latestConversationSeq(conversationId: ResourceID) async throws -> Int64 {
        try await read { connection in
            try await connection.row(
                "SELECT coalesce(max(conversation_seq), 0) AS seq FROM events WHERE conversation_id = \(conversationId.rawValue)"
            ).map { try $0("seq", as: Int64.self) } ?? 0
        }
    }

    static func event(_ row: Columns) throws -> RecordedEvent {
        RecordedEvent(
            id: try row.id("id"), appId: try row.id("app_id"), type: try row.eventType("type"), conversationId: try row.optionalID("conversation_id"),
            createdAt: try row.timestamp("created_at"), payload: try row.json(JSONValue.self, "payload"))
    }
}

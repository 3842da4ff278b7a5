import Foundation
import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    /// Writes events and their deliveries inside the caller's transaction: one delivery per
    /// webhook of the app subscribed to the event's type, decided by one INSERT … SELECT.
    /// `switchboards`: apps' switchboards the transaction has already read (nil: the app has none);
    /// the others are read once per call, and only for events a switchboard routes.
    static func record(_ db: Database, _ events: [OutboxEvent], switchboards: [ResourceID: SwitchboardSetup?] = [:]) throws {
        var setups = switchboards
        for event in events {
            // The conversation's next number: one writer, so numbers follow commit order.
            var conversationSeq: Int64?
            if let conversationId = event.conversationId {
                conversationSeq = try DirectStatement(db, sql: "SELECT coalesce(max(conversation_seq), 0) + 1 AS next FROM events WHERE conversation_id = ?")
                    .firstRow([.text(conversationId.rawValue)]) { try $0.integer("next") }
            }
            try DirectStatement(db, sql: "INSERT INTO events (id, app_id, type, conversation_id, conversation_seq, created_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .run([
                    .text(event.id.rawValue), .text(event.appId.rawValue), .text(event.type.rawValue), .init(event.conversationId?.rawValue),
                    DirectStatement.Parameter(conversationSeq),
                    .integer(event.createdAt.millisecondsSince1970), .text(try JSONColumn.encode(EventJSON.payload(event.payload))),
                ])
            let seq = db.lastInsertedRowID
            var muted: Set<ResourceID> = []
            if event.type.isRoutedBySwitchboard {
                let setup = try setups[event.appId] ?? switchboardSetup(db, appId: event.appId)
                setups[event.appId] = .some(setup)
                muted = setup?.mutedIntegrations(for: event) ?? []
            }
            let subscribed = """
                INSERT INTO deliveries (webhook_id, event_seq, state, attempts, next_attempt_at)
                SELECT webhooks.id, ?, 'pending', 0, ?
                FROM webhooks JOIN integrations ON integrations.id = webhooks.integration_id
                WHERE integrations.app_id = ? AND EXISTS (SELECT 1 FROM json_each(webhooks.triggers) WHERE json_each.value = ?)
                """
            var arguments: [DirectStatement.Parameter] = [
                .integer(seq), .integer(event.createdAt.millisecondsSince1970), .text(event.appId.rawValue), .text(event.type.rawValue),
            ]
            if muted.isEmpty {
                try DirectStatement(db, sql: subscribed).run(arguments)
            } else {
                // The switchboard's standby integrations that asked for no standby events.
                arguments.append(.text(try JSONColumn.encode(muted.map(\.rawValue).sorted())))
                try DirectStatement(db, sql: subscribed + " AND integrations.id NOT IN (SELECT value FROM json_each(?))").run(arguments)
            }
        }
    }

    public func dueBatches(now: Timestamp, batchSize: Int, limit: Int) async throws -> [DeliveryBatch] {
        try await read { db in
            // A webhook is due when its oldest pending delivery is: later events wait behind it.
            // Driven by the webhooks table (CROSS JOIN fixes that loop order in SQLite): one index
            // probe per webhook for its oldest pending delivery, so a backlog costs nothing to skip.
            // Driving the scan from the pending deliveries visited every one of them on every poll.
            let heads = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.webhook_id, d.attempts FROM webhooks w
                        CROSS JOIN deliveries d ON d.webhook_id = w.id AND d.state = 'pending'
                          AND d.event_seq = (SELECT min(x.event_seq) FROM deliveries x WHERE x.state = 'pending' AND x.webhook_id = w.id)
                        WHERE d.next_attempt_at <= ?
                        LIMIT ?
                        """), arguments: [now.millisecondsSince1970, limit])
            return try heads.compactMap { head -> DeliveryBatch? in
                let webhookId: String = try head.decode(forColumn: "webhook_id")
                guard let webhookRow = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT webhooks.*, integrations.app_id FROM webhooks JOIN integrations ON integrations.id = webhooks.integration_id WHERE webhooks.id = ?"),
                    arguments: [webhookId])
                else { return nil }
                let events = try Self.decodeAll(
                    db.cachedStatement(
                        sql: """
                            SELECT events.* FROM deliveries JOIN events ON events.seq = deliveries.event_seq
                            WHERE deliveries.webhook_id = ? AND deliveries.state = 'pending' ORDER BY deliveries.event_seq LIMIT ?
                            """), arguments: [webhookId, batchSize], Self.event)
                return DeliveryBatch(
                    webhook: try Self.webhook(webhookRow), appId: try Self.resourceID(try webhookRow.decode(forColumn: "app_id")), events: events, attempts: try head.decode(forColumn: "attempts"))
            }
        }
    }

    public func recordAttempt(_ batch: DeliveryBatch, outcome: DeliveryOutcome) async throws {
        // One statement for the whole batch (up to 100 events), its event ids passed as a JSON
        // array, so the text, and the compiled statement, are the same whatever the batch's size.
        let eventIds = try JSONColumn.encode(JSONValue.array(batch.events.map { .string($0.id.rawValue) }))
        // Not waiting for the flush: the next batch is read from what has committed, and a record
        // lost to a power cut only means the batch is sent again, which at-least-once delivery
        // allows anyway. Each webhook has one batch in flight, so this wait was on its every cycle.
        try await write(durable: false) { db in
            try db.cachedStatement(
                sql: """
                    UPDATE deliveries SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?,
                                          last_error = ?, next_attempt_at = ?
                    WHERE webhook_id = ? AND state = 'pending'
                      AND event_seq IN (SELECT seq FROM events WHERE id IN (SELECT value FROM json_each(?)))
                    """
            ).execute(
                arguments: [
                    outcome.state.rawValue, outcome.at.millisecondsSince1970, outcome.statusCode, outcome.error,
                    (outcome.nextAttemptAt ?? outcome.at).millisecondsSince1970, batch.webhook.id.rawValue, eventIds,
                ])
        }
    }

    public func recordEvents(_ events: [OutboxEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write { db in try Self.record(db, events) }
    }

    public func deliveries(webhookId: ResourceID, limit: Int) async throws -> [DeliveryRecord] {
        try await read { db in
            try Self.decodeAll(
                db,
                sql: """
                    SELECT events.id, events.type, events.created_at, deliveries.* FROM deliveries
                    JOIN events ON events.seq = deliveries.event_seq
                    WHERE deliveries.webhook_id = ? ORDER BY deliveries.event_seq DESC LIMIT ?
                    """, arguments: [webhookId.rawValue, limit]
            ) { row in
                let state = DeliveryOutcome.State(rawValue: try row.decode(forColumn: "state")) ?? .pending
                return DeliveryRecord(
                    eventId: try Self.resourceID(try row.decode(forColumn: "id")), type: try Self.eventType(try row.decode(forColumn: "type")), createdAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "created_at")),
                    state: state, attempts: try row.decode(forColumn: "attempts"),
                    lastAttemptAt: (try row.decode(forColumn: "last_attempt_at") as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                    lastStatusCode: try row.decode(forColumn: "last_status_code"), lastError: try row.decode(forColumn: "last_error"),
                    nextAttemptAt: state == .pending ? Timestamp(millisecondsSince1970: try row.decode(forColumn: "next_attempt_at")) : nil)
            }
        }
    }

    public func redeliver(webhookId: ResourceID, eventId: ResourceID?, since: Timestamp?, now: Timestamp) async throws -> Int {
        try await write { db in
            var filter = "webhook_id = ?"
            var arguments: StatementArguments = [now.millisecondsSince1970, webhookId.rawValue]
            if let eventId {
                filter += " AND event_seq = (SELECT seq FROM events WHERE id = ?)"
                arguments += [eventId.rawValue]
            }
            if let since {
                filter += " AND event_seq IN (SELECT seq FROM events WHERE created_at >= ?)"
                arguments += [since.millisecondsSince1970]
            }
            try db.execute(
                sql: "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE \(filter)",
                arguments: arguments)
            return db.changesCount
        }
    }

    static func eventType(_ text: String) throws -> EventType {
        guard let type = EventType(rawValue: text) else { throw DatabaseError(message: "corrupt event type \(text)") }
        return type
    }

    public func conversationEvents(conversationId: ResourceID, after: Int64, limit: Int) async throws -> [SequencedEvent] {
        try await read { db in
            try Self.decodeAll(
                db.cachedStatement(sql: "SELECT * FROM events WHERE conversation_id = ? AND conversation_seq > ? ORDER BY conversation_seq LIMIT ?"),
                arguments: [conversationId.rawValue, after, limit]
            ) { row in SequencedEvent(seq: try row.decode(forColumn: "conversation_seq"), event: try Self.event(row)) }
        }
    }

    public func latestConversationSeq(conversationId: ResourceID) async throws -> Int64 {
        try readStatement { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT coalesce(max(conversation_seq), 0) FROM events WHERE conversation_id = ?"), arguments: [conversationId.rawValue]) ?? 0
        }
    }

    static func event(_ row: Row) throws -> RecordedEvent {
        RecordedEvent(
            id: try resourceID(try row.decode(forColumn: "id")), appId: try resourceID(try row.decode(forColumn: "app_id")), type: try eventType(try row.decode(forColumn: "type")),
            conversationId: try (try row.decode(forColumn: "conversation_id") as String?).map(resourceID),
            createdAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "created_at")), payload: try JSONColumn.decode(JSONValue.self, try row.decode(forColumn: "payload")))
    }
}

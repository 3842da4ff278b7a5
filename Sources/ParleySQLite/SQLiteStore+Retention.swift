import GRDB
import ParleyDomain

extension SQLiteStore {
    // Not durable: a deletion lost to a crash is made again by the next sweep.

    public func pruneEvents(createdBefore before: Timestamp, limit: Int) async throws -> Int {
        try await write(durable: false) { db in
            try db.execute(
                sql: """
                    DELETE FROM events WHERE seq IN (
                        SELECT seq FROM events AS e
                        WHERE e.created_at < ?
                            AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.event_seq = e.seq AND d.state = 'pending')
                            AND (e.conversation_id IS NULL OR e.conversation_seq < (
                                SELECT max(n.conversation_seq) FROM events AS n WHERE n.conversation_id = e.conversation_id))
                        ORDER BY seq LIMIT ?)
                    """, arguments: [before.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    public func pruneDeliveredDeliveries(before: Timestamp, limit: Int) async throws -> Int {
        try await write(durable: false) { db in
            try db.execute(
                sql: """
                    DELETE FROM deliveries WHERE (webhook_id, event_seq) IN (
                        SELECT webhook_id, event_seq FROM deliveries WHERE state = 'delivered' AND last_attempt_at < ? LIMIT ?)
                    """, arguments: [before.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    public func pruneChannelJobs(finishedBefore before: Timestamp, limit: Int) async throws -> Int {
        try await write(durable: false) { db in
            try db.execute(
                sql: """
                    DELETE FROM channel_jobs WHERE id IN (
                        SELECT id FROM channel_jobs
                        WHERE state IN ('delivered', 'dead') AND coalesce(last_attempt_at, next_attempt_at) < ? LIMIT ?)
                    """, arguments: [before.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    public func clearInactiveConversations(appId: ResourceID, inactiveBefore before: Timestamp, limit: Int) async throws -> Int {
        // One transaction of the single writer: no post can land between the choice and the delete.
        try await write(durable: false) { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM conversations WHERE app_id = ? AND last_updated_at < ? AND message_count > 0 LIMIT ?",
                arguments: [appId.rawValue, before.millisecondsSince1970, limit])
            for id in ids {
                try db.execute(sql: "DELETE FROM messages WHERE conversation_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE conversations SET message_count = 0 WHERE id = ?", arguments: [id])
            }
            return ids.count
        }
    }
}

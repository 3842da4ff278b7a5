import ParleyDomain
import PostgresNIO

extension PostgresStore {
    // Rows another node's sweep holds are skipped (SKIP LOCKED): each is deleted once, by one of them.

    public func pruneEvents(createdBefore before: Timestamp, limit: Int) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                DELETE FROM events WHERE seq IN (
                    SELECT seq FROM events AS e
                    WHERE e.created_at < \(before.millisecondsSince1970)
                        AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.event_seq = e.seq AND d.state = 'pending')
                        AND (e.conversation_id IS NULL OR e.conversation_seq < (
                            SELECT n.conversation_seq FROM events AS n WHERE n.conversation_id = e.conversation_id
                            ORDER BY n.conversation_seq DESC LIMIT 1))
                    ORDER BY seq LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    public func pruneDeliveredDeliveries(before: Timestamp, limit: Int) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                DELETE FROM deliveries WHERE (webhook_id, event_seq) IN (
                    SELECT webhook_id, event_seq FROM deliveries
                    WHERE state = 'delivered' AND last_attempt_at < \(before.millisecondsSince1970) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    public func pruneChannelJobs(finishedBefore before: Timestamp, limit: Int) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                DELETE FROM channel_jobs WHERE id IN (
                    SELECT id FROM channel_jobs
                    WHERE state IN ('delivered', 'dead') AND coalesce(last_attempt_at, next_attempt_at) < \(before.millisecondsSince1970)
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    public func clearInactiveConversations(appId: ResourceID, inactiveBefore before: Timestamp, limit: Int) async throws -> Int {
        try await write { connection in
            // The conversation rows are locked as a post locks them (appendMessage), and their
            // activity checked again under the lock: a post that committed first keeps its conversation.
            let cleared = try await connection.rows(
                """
                UPDATE conversations SET message_count = 0
                WHERE id IN (
                    SELECT id FROM conversations
                    WHERE app_id = \(appId.rawValue) AND last_updated_at < \(before.millisecondsSince1970) AND message_count > 0
                    LIMIT \(limit) FOR NO KEY UPDATE SKIP LOCKED)
                    AND last_updated_at < \(before.millisecondsSince1970)
                RETURNING id
                """
            ).map { try $0.id("id") }
            if !cleared.isEmpty {
                try await connection.run("DELETE FROM messages WHERE conversation_id = ANY(\(cleared.map(\.rawValue)))")
            }
            return cleared.count
        }
    }
}

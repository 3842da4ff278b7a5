import ParleyDomain
import PostgresNIO

extension PostgresStore {
    public func outboxBacklog() async throws -> OutboxBacklog {
        try await read { connection in
            guard let row = try await connection.row(
                """
                SELECT
                    (SELECT count(*) FROM deliveries WHERE state = 'pending') AS webhook_pending,
                    (SELECT count(*) FROM deliveries WHERE state = 'dead') AS webhook_dead,
                    (SELECT created_at FROM events WHERE seq = (SELECT min(event_seq) FROM deliveries WHERE state = 'pending'))
                        AS webhook_oldest,
                    (SELECT count(*) FROM channel_jobs WHERE state = 'pending') AS channel_pending,
                    (SELECT count(*) FROM channel_jobs WHERE state = 'dead') AS channel_dead,
                    (SELECT min(next_attempt_at) FROM channel_jobs WHERE state = 'pending') AS channel_oldest
                """)
            else { throw CorruptRow("no backlog row") }
            var backlog = OutboxBacklog()
            backlog.webhookPending = Int(try row("webhook_pending", as: Int64.self))
            backlog.webhookDead = Int(try row("webhook_dead", as: Int64.self))
            backlog.webhookOldestPending = try row.optionalTimestamp("webhook_oldest")
            backlog.channelPending = Int(try row("channel_pending", as: Int64.self))
            backlog.channelDead = Int(try row("channel_dead", as: Int64.self))
            backlog.channelOldestDue = try row.optionalTimestamp("channel_oldest")
            return backlog
        }
    }
}

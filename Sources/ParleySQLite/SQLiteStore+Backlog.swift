import GRDB
import ParleyDomain

extension SQLiteStore {
    public func outboxBacklog() async throws -> OutboxBacklog {
        try await read { db in
            var backlog = OutboxBacklog()
            // Each count walks one index (deliveries_pending, channel_jobs_due) from its state prefix.
            backlog.webhookPending = try Int.fetchOne(db, sql: "SELECT count(*) FROM deliveries WHERE state = 'pending'") ?? 0
            backlog.webhookDead = try Int.fetchOne(db, sql: "SELECT count(*) FROM deliveries WHERE state = 'dead'") ?? 0
            // Events are numbered in creation order: the oldest waiting is the lowest number pending.
            backlog.webhookOldestPending = try Int64.fetchOne(
                db, sql: "SELECT created_at FROM events WHERE seq = (SELECT min(event_seq) FROM deliveries WHERE state = 'pending')"
            ).map(Timestamp.init(millisecondsSince1970:))
            backlog.channelPending = try Int.fetchOne(db, sql: "SELECT count(*) FROM channel_jobs WHERE state = 'pending'") ?? 0
            backlog.channelDead = try Int.fetchOne(db, sql: "SELECT count(*) FROM channel_jobs WHERE state = 'dead'") ?? 0
            backlog.channelOldestDue = try Int64.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM channel_jobs WHERE state = 'pending'")
                .map(Timestamp.init(millisecondsSince1970:))
            return backlog
        }
    }
}

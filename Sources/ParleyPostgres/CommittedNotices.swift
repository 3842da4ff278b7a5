import ParleyDomain
import PostgresNIO
import Synchronization

/// The realtime notices of the events a write transaction records, sent by `PostgresStore.write`
/// once the transaction has committed, as one `pg_notify` statement of their own.
///
/// Why not NOTIFY inside the transaction (a trigger did, until v14): PostgreSQL serialises every
/// committing transaction that has notifications on one database-wide lock, held through its
/// commit's WAL flush, so every event-producing write of every app took turns (BENCHMARKS.md,
/// "PostMessage on PostgreSQL"). A statement that only notifies writes no WAL and holds that lock
/// for microseconds. The price: a node that dies between its COMMIT and this statement leaves the
/// other nodes' sockets to hear of those events with the conversation's next event or their next
/// resync; nothing is lost, since sockets read the outbox (docs/DECISIONS.md).
final class CommittedNotices: Sendable {
    @TaskLocal static var current: CommittedNotices?

    private let notices = Mutex<[EventNotice]>([])

    func add(_ notice: EventNotice) {
        notices.withLock { $0.append(notice) }
    }

    var all: [EventNotice] {
        notices.withLock { $0 }
    }

    /// `{appId} {conversationId} {seq} {type}`, as `PostgresEventFeed.notice` reads it.
    static func payload(_ notice: EventNotice) -> String {
        "\(notice.appId.rawValue) \(notice.conversationId.rawValue) \(notice.seq) \(notice.type.rawValue)"
    }

    /// Sends them on the schema's realtime channel. Their order does not matter: a notice only
    /// tells a node to read the conversation's outbox past what it has sent.
    static func send(_ notices: [EventNotice], on connection: PostgresConnection) async throws {
        guard !notices.isEmpty else { return }
        try await connection.run(
            "SELECT pg_notify(left('parley_events:' || current_schema(), 63), payload) FROM unnest(\(notices.map(payload))::text[]) AS payload")
    }
}

import GRDB
import ParleyDomain
import Synchronization

/// The SQLite store's `EventFeed`. The store pokes it after every write; it then reads the events
/// committed since its last read and hands their notices on. With one writer, the table's `seq`
/// is commit order, so reading above the last `seq` seen misses nothing. Pokes made while a read
/// runs fold into one more read.
final class SQLiteEventFeed: EventFeed {
    private let pool: DatabasePool
    private let pokes: AsyncStream<Void>
    private let poke: AsyncStream<Void>.Continuation
    private let listening = Atomic<Bool>(false)

    init(pool: DatabasePool) {
        self.pool = pool
        (pokes, poke) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// A write transaction has committed (the store calls this after each).
    func committed() {
        if listening.load(ordering: .relaxed) { poke.yield() }
    }

    func updates() -> AsyncStream<EventFeedUpdate> {
        let (updates, continuation) = AsyncStream<EventFeedUpdate>.makeStream()
        let task = Task { [pool, pokes] in
            var cursor: Int64 = (try? await pool.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0 }) ?? 0
            listening.store(true, ordering: .relaxed)
            poke.yield()
            for await _ in pokes {
                do {
                    while true {
                        let after = cursor
                        let (notices, last, more) = try await pool.read { db in try Self.notices(db, after: after) }
                        cursor = last
                        if !notices.isEmpty { continuation.yield(.notices(notices)) }
                        if !more { break }
                    }
                } catch {
                    continuation.yield(.resync)
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return updates
    }

    private static let pageSize = 500

    /// The notices of a page of events after `cursor`, the page's last `seq`, and whether the page was full.
    private static func notices(_ db: Database, after cursor: Int64) throws -> ([EventNotice], Int64, Bool) {
        var last = cursor
        var count = 0
        var notices: [EventNotice] = []
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seq, app_id, conversation_id, conversation_seq, type FROM events WHERE seq > ? ORDER BY seq LIMIT ?"),
            arguments: [cursor, pageSize])
        while let row = try rows.next() {
            last = try row.decode(forColumn: "seq")
            count += 1
            // Events outside conversations (user and client events) have no number: no realtime.
            guard let conversationText: String = try row.decode(forColumn: "conversation_id"), let seq: Int64 = try row.decode(forColumn: "conversation_seq"),
                let conversationId = ResourceID(conversationText), let appId = ResourceID(try row.decode(forColumn: "app_id") as String),
                let type = EventType(rawValue: try row.decode(forColumn: "type"))
            else { continue }
            notices.append(EventNotice(appId: appId, conversationId: conversationId, seq: seq, type: type))
        }
        return (notices, last, count == pageSize)
    }
}

import Logging
import ParleyDomain
import PostgresNIO

/// The PostgreSQL store's `EventFeed`: LISTEN on the channel on which the writing node notifies
/// every numbered event once its transaction has committed (`CommittedNotices`), so a message
/// posted through any node reaches the sockets of every node. A notice only says "read past your
/// cursor", so notices may come in any order.
///
/// The listening connection is its own, outside the request pool, held for as long as the feed is
/// followed. When it is lost, notifications sent meanwhile are lost with it: once listening again
/// the feed says `resync`, and the hub reads back what its subscribers follow.
struct PostgresEventFeed: EventFeed {
    let url: PostgresURL
    let applicationName: String
    let logger: Logger
    /// How long to wait before listening again after a failure.
    var retryDelay: Duration = .seconds(1)

    func updates() -> AsyncStream<EventFeedUpdate> {
        let (updates, continuation) = AsyncStream<EventFeedUpdate>.makeStream()
        let task = Task { [self] in
            var lost = false
            var attempt = 0
            while !Task.isCancelled {
                attempt += 1
                do {
                    let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(applicationName: applicationName), id: attempt, logger: logger)
                    do {
                        try await listen(on: connection) {
                            continuation.yield(.resync)
                            if lost { logger.notice("Listening for realtime events again") }
                            lost = false
                        } notice: { continuation.yield(.notices([$0])) }
                        try? await connection.close()
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                } catch {
                    if Task.isCancelled { break }
                    if !lost { logger.warning("Lost the realtime events connection", metadata: ["error": "\(String(reflecting: error))"]) }
                    lost = true
                }
                try? await Task.sleep(for: retryDelay)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return updates
    }

    /// LISTENs on the schema's channel until the connection ends; `listening` once it does.
    private func listen(
        on connection: PostgresConnection, listening: () -> Void, notice: (EventNotice) -> Void
    ) async throws {
        // The schema's channel, as `CommittedNotices.send` names it (`current_schema()`).
        guard let schema = try await connection.row("SELECT current_schema() AS schema").map({ try $0("schema", as: String.self) }) else {
            throw CorruptRow("no current schema")
        }
        let channel = String(decoding: Array("parley_events:\(schema)".utf8.prefix(63)), as: UTF8.self)
        try await connection.listen(on: channel) { notifications in
            listening()
            for try await notification in notifications {
                if let parsed = Self.notice(notification.payload) { notice(parsed) }
            }
        }
    }

    /// `{appId} {conversationId} {seq} {type}`, as `CommittedNotices.payload` writes it.
    static func notice(_ payload: String) -> EventNotice? {
        let parts = payload.split(separator: " ")
        guard parts.count == 4, let appId = ResourceID(String(parts[0])), let conversationId = ResourceID(String(parts[1])),
            let seq = Int64(parts[2]), let type = EventType(rawValue: String(parts[3]))
        else { return nil }
        return EventNotice(appId: appId, conversationId: conversationId, seq: seq, type: type)
    }
}

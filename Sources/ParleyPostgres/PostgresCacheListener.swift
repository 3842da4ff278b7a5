import Logging
import PostgresNIO

/// Keeps a node's `PostgresCaches` true. It LISTENs, on a connection of its own, on the channel
/// the cache triggers NOTIFY (`parley_cache:{schema}`), and turns the caches on only once it is
/// listening: from then on every change committed by any node is heard, and the cache of its
/// table forgotten.
///
/// It turns them off the moment it cannot be sure of that: when the connection fails, and when a
/// heartbeat (`SELECT 1` every `heartbeatInterval`) gets no answer within `heartbeatTimeout`, as
/// a connection that went silent (a network cut, a frozen server) would not say it has failed.
/// So a key revoked while the connection is down is never served from memory once
/// `heartbeatInterval + heartbeatTimeout` have passed. A late answer (a starved process or a busy
/// server) turns them on again, empty: the connection is alive, so every later change is heard,
/// and a read that raced the pause cannot keep its row (`ReadCache`). No answer within
/// `giveUpAfter`, or a failure, and it connects again, the caches off until it listens.
struct PostgresCacheListener: Sendable {
    let url: PostgresURL
    let applicationName: String
    let caches: PostgresCaches
    let logger: Logger
    let retryDelay: Duration
    let heartbeatInterval: Duration
    let heartbeatTimeout: Duration
    /// How long a heartbeat may stay unanswered before the connection is given up.
    var giveUpAfter: Duration = .seconds(10)

    private struct HeartbeatMissed: Error {}
    private struct NotificationsEnded: Error {}

    /// Runs until cancelled; the caches are off when it returns.
    func run() async {
        defer { caches.setEnabled(false) }
        var lost = false
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try url.connectionConfiguration(applicationName: applicationName), id: attempt, logger: logger)
                do {
                    try await listen(on: connection) {
                        if lost { logger.notice("Listening for cache changes again; caches back on") }
                        lost = false
                    }
                } catch {
                    caches.setEnabled(false)
                    try? await connection.close()
                    throw error
                }
            } catch {
                caches.setEnabled(false)
                if Task.isCancelled { break }
                if !lost {
                    logger.warning(
                        "Lost the cache-change connection; reading keys and apps from the database until it is back",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
                lost = true
            }
            try? await Task.sleep(for: retryDelay)
        }
    }

    /// Listens until the connection fails or misses a heartbeat (both throw).
    private func listen(on connection: PostgresConnection, listening: () -> Void) async throws {
        guard let schema = try await connection.row("SELECT current_schema() AS schema").map({ try $0("schema", as: String.self) }) else {
            throw CorruptRow("no current schema")
        }
        try await connection.listen(on: Self.channel(schema: schema)) { notifications in
            caches.setEnabled(true)
            listening()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications { caches.changed(notification.payload) }
                    throw NotificationsEnded()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeatInterval)
                        try await heartbeat(connection)
                    }
                }
                // Either ends only by throwing; the other is then cancelled.
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    private enum Heartbeat {
        case answered(Bool)
        case late
        case givenUp
    }

    /// Returns once `SELECT 1` is answered; turns the caches off while an answer is late, and on
    /// again (empty) when it comes. Throws, with the caches off and the connection closed, when
    /// the query fails or no answer comes within `giveUpAfter`. The query runs in a task of its
    /// own, so a connection that never answers cannot hold this node's listener with it.
    private func heartbeat(_ connection: PostgresConnection) async throws {
        let (events, event) = AsyncStream<Heartbeat>.makeStream()
        let query = Task { event.yield(.answered((try? await connection.run("SELECT 1")) != nil)) }
        let timers = Task {
            try await Task.sleep(for: heartbeatTimeout)
            event.yield(.late)
            try await Task.sleep(for: giveUpAfter - heartbeatTimeout)
            event.yield(.givenUp)
        }
        defer {
            event.finish()
            timers.cancel()
        }
        var wasLate = false
        for await next in events {
            switch next {
            case .answered(true):
                if wasLate { caches.setEnabled(true) }
                return
            case .late:
                wasLate = true
                caches.setEnabled(false)
            case .answered(false), .givenUp:
                caches.setEnabled(false)
                query.cancel()
                try? await connection.close()
                throw HeartbeatMissed()
            }
        }
    }

    /// The triggers' channel: `parley_cache:` and the schema, as the trigger function sees it
    /// (a channel name holds at most 63 bytes).
    static func channel(schema: String) -> String {
        String(decoding: Array("parley_cache:\(schema)".utf8.prefix(63)), as: UTF8.self)
    }
}

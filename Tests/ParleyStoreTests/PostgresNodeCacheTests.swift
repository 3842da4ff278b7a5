import Foundation
import Logging
import ParleyDomain
@testable import ParleyPostgres
import ParleyTestSupport
import PostgresNIO
import Testing

/// The keys and apps a PostgreSQL node keeps in memory, with two stores (two pools, as two
/// processes would have) on one database: a change through one node reaches the other's cache
/// within a second, and a node that cannot hear the others reads from the database.
@Suite(
    "PostgreSQL: caches on several nodes", .serialized,
    .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL to run"))
struct PostgresNodeCacheTests {
    let ids = ResourceIDGenerator()

    struct Nodes {
        let a: PostgresStore
        let b: PostgresStore
        let url: PostgresURL
        let app: App
        /// B's listening connection, as pg_stat_activity names it.
        let bListener: String
    }

    /// A writes; B caches. B's listening connection has a name of its own, so a test can find it.
    func nodes(retryDelay: Duration = .seconds(1)) async throws -> Nodes {
        let url = try PostgresURL(try await PostgresTestDatabase.make())
        let a = try await StoreFactory.startedPostgresStore(url: url)
        let name = "parley-test-" + ids.next().rawValue
        var options = StoreFactory.testOptions
        options.caching = true
        options.cacheRetryDelay = retryDelay
        options.applicationName = name
        let b = try await StoreFactory.startedPostgresStore(url: url, options: options)
        let app = App(id: ids.next(), displayName: "Before")
        try await a.insertApp(app)
        #expect(try await Self.time { b.caches.isEnabled } != nil, "B's caches come on once it listens")
        return Nodes(a: a, b: b, url: url, app: app, bListener: name + "-cache")
    }

    func key(_ nodes: Nodes) async throws -> APIKey {
        let key = APIKey(id: KeyID(scope: .app, id: ids.next()), appId: nodes.app.id, displayName: "k", secret: SealedSecret(hash: [1], sealed: [2]))
        try await nodes.a.insertKey(key, limit: nil)
        return key
    }

    /// How long `condition` took to hold, polled every 10 ms for up to 20 s, less how late the
    /// polling timer itself ran: a starved test process delays both alike. Nil if it never held.
    static func time(_ condition: () async throws -> Bool) async throws -> Duration? {
        let clock = ContinuousClock()
        let started = clock.now
        var late = Duration.zero
        while clock.now - started < .seconds(20) {
            if try await condition() { return clock.now - started - late }
            let asleep = clock.now
            try await Task.sleep(for: .milliseconds(10))
            late += max(.zero, clock.now - asleep - .milliseconds(10))
        }
        return nil
    }

    @Test("A key deleted and an app changed through one node: the other node's cache forgets them within a second")
    func changesReachTheOtherNode() async throws {
        let nodes = try await nodes()
        let key = try await key(nodes)
        #expect(try await nodes.b.key(id: key.id) == key)
        #expect(nodes.b.caches.keys.count == 1, "B keeps the key it read")
        #expect(try await nodes.b.app(id: nodes.app.id)?.displayName == "Before")

        #expect(try await nodes.a.deleteAppKey(id: key.id, appId: nodes.app.id))
        let refused = try await Self.time { try await nodes.b.key(id: key.id) == nil }
        #expect(refused.map { $0 < .seconds(1) } == true, "B refused the deleted key after \(String(describing: refused))")

        _ = try await nodes.a.updateApp(id: nodes.app.id) { $0.displayName = "After" }
        let renamed = try await Self.time { try await nodes.b.app(id: nodes.app.id)?.displayName == "After" }
        #expect(renamed.map { $0 < .seconds(1) } == true, "B saw the new name after \(String(describing: renamed))")

        // The node that deletes forgets at once, before it answers.
        let other = try await self.key(nodes)
        #expect(try await nodes.b.key(id: other.id) == other)
        #expect(try await nodes.b.deleteAppKey(id: other.id, appId: nodes.app.id))
        #expect(try await nodes.b.key(id: other.id) == nil)
    }

    @Test("A node that loses its listening connection reads from the database until it listens again")
    func lostConnection() async throws {
        // B stays unconnected for the test's length once it has lost its connection.
        let nodes = try await nodes(retryDelay: .seconds(60))
        let key = try await key(nodes)
        #expect(try await nodes.b.key(id: key.id) == key)
        try await Self.terminate(nodes.bListener, url: nodes.url)
        #expect(try await Self.time { !nodes.b.caches.isEnabled } != nil, "B turns its caches off")

        // Revoked while B cannot hear it: B reads the key table and refuses it.
        #expect(try await nodes.a.deleteAppKey(id: key.id, appId: nodes.app.id))
        #expect(try await nodes.b.key(id: key.id) == nil)
        // And keeps nothing meanwhile.
        let other = try await self.key(nodes)
        #expect(try await nodes.b.key(id: other.id) == other)
        #expect(nodes.b.caches.keys.count == 0)
    }

    @Test("A listening connection that stops answering is given up, and the caches with it, well within a second")
    func silentConnection() async throws {
        let nodes = try await nodes(retryDelay: .seconds(60))
        let key = try await key(nodes)
        #expect(try await nodes.b.key(id: key.id) == key)
        // Freeze B's listening backend: its connection stays open and says nothing, as over a
        // network cut. Only possible when the test's PostgreSQL runs on this machine.
        guard let pid = try await Self.backend(nodes.bListener, url: nodes.url), kill(pid, SIGSTOP) == 0 else {
            Issue.record("cannot stop PostgreSQL's backend here: the test needs a local server it may signal")
            return
        }
        defer { kill(pid, SIGCONT) }
        let off = try await Self.time { !nodes.b.caches.isEnabled }
        // Heartbeat every 250 ms, answered within 500 ms.
        #expect(off.map { $0 < .seconds(1) } == true, "B turned its caches off after \(String(describing: off))")
        #expect(try await nodes.a.deleteAppKey(id: key.id, appId: nodes.app.id))
        #expect(try await nodes.b.key(id: key.id) == nil)
    }

    @Test("Back after an outage, a node listens again and caches from empty")
    func listensAgain() async throws {
        let nodes = try await nodes(retryDelay: .milliseconds(100))
        let key = try await key(nodes)
        #expect(try await nodes.b.key(id: key.id) == key)
        let before = try #require(try await Self.backend(nodes.bListener, url: nodes.url))
        try await Self.terminate(nodes.bListener, url: nodes.url)
        let back = try await Self.time {
            let now = try await Self.backend(nodes.bListener, url: nodes.url)
            return now != nil && now != before && nodes.b.caches.isEnabled
        }
        #expect(back != nil, "B listens again, on a new connection")
        #expect(nodes.b.caches.keys.count == 0)
        #expect(try await nodes.a.deleteAppKey(id: key.id, appId: nodes.app.id))
        #expect(try await nodes.b.key(id: key.id) == nil)
    }

    // MARK: The listening backend

    static func admin<T>(_ url: PostgresURL, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: try url.connectionConfiguration(applicationName: "parley-test-admin"), id: 1, logger: Logger(label: "parley.tests"))
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func backend(_ applicationName: String, url: PostgresURL) async throws -> Int32? {
        try await admin(url) { connection in
            try await connection.row("SELECT pid FROM pg_stat_activity WHERE application_name = \(applicationName)").map { try $0("pid", as: Int32.self) }
        }
    }

    static func terminate(_ applicationName: String, url: PostgresURL) async throws {
        let terminated = try await admin(url) { connection in
            try await connection.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(applicationName)")
        }
        #expect(terminated == 1)
    }
}

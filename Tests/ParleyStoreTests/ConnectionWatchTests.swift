import Foundation
import Logging
@testable import ParleyPostgres
import ParleyTestSupport
import PostgresNIO
import Synchronization
import Testing

/// `ConnectionWatch` against a real connection (needs PARLEY_TEST_POSTGRES_URL; returns at once without it).
@Suite("PostgreSQL connection watch")
struct ConnectionWatchTests {
    static func connect(_ url: String) async throws -> PostgresConnection {
        let components = try #require(URLComponents(string: url))
        let configuration = PostgresConnection.Configuration(
            host: try #require(components.host), port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: String(components.path.dropFirst()), tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "parley.tests.watch"))
    }

    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test(
        "One close callback per connection however many leases watched it; only the current watcher hears the close",
        .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL to run"))
    func oneCallbackPerConnection() async throws {
        let url = try #require(PostgresTestDatabase.serverURL)
        let connection = try await Self.connect(url)
        let watch = ConnectionWatch()
        let heard = Mutex<[String]>([])
        for lease in 0..<1000 {
            let stop = watch.watch(connection) { heard.withLock { $0.append("lease \(lease)") } }
            stop()
        }
        _ = watch.watch(connection) { heard.withLock { $0.append("current") } }
        #expect(watch.registeredCount == 1)
        try await connection.close()
        try await Self.eventually { !heard.withLock { $0 }.isEmpty }
        #expect(heard.withLock { $0 } == ["current"])
        #expect(watch.registeredCount == 0)
        // A connection that has closed already is reported at once.
        let late = Mutex(false)
        _ = watch.watch(connection) { late.withLock { $0 = true } }
        try await Self.eventually { late.withLock { $0 } }
        #expect(late.withLock { $0 })
    }
}

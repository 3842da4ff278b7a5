import Foundation
import Logging
import PostgresNIO

/// Fresh PostgreSQL databases for tests, on the server named by `PARLEY_TEST_POSTGRES_URL`
/// (`postgres://user:password@host:port/db`; the user may create databases). Each store or server
/// under test gets a database of its own, so tests run in parallel without seeing each other.
/// Without the variable the PostgreSQL tests skip themselves; `.ci/run` always sets it.
public enum PostgresTestDatabase {
    public static let environmentVariable = "PARLEY_TEST_POSTGRES_URL"

    /// The server's URL, or nil when PostgreSQL tests are not asked for.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A URL naming a database that does not exist yet; `create(_:)` makes it. Split in two so
    /// synchronous code (a test's configuration) can name the database before it exists.
    public static func freshURL() throws -> String {
        guard let server = serverURL, var components = URLComponents(string: server) else {
            throw TestDatabaseError("\(environmentVariable) is not set")
        }
        components.path = "/parley_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        return components.string!
    }

    /// Creates the database `url` names unless it exists.
    public static func create(_ url: String) async throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw TestDatabaseError("Not a postgres:// URL: \(url)")
        }
        let name = String(components.path.dropFirst())
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw TestDatabaseError("Odd database name \(name)") }
        // Connect to the server's own database (the one in PARLEY_TEST_POSTGRES_URL) to create another.
        let admin = serverURL.flatMap { URLComponents(string: $0) }.map { String($0.path.dropFirst()) } ?? "postgres"
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: admin, tls: .disable)
        let logger = Logger(label: "parley.tests.postgres")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger).collect()
            if exists.isEmpty {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).collect()
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// `freshURL()` and `create(_:)` in one.
    public static func make() async throws -> String {
        let url = try freshURL()
        try await create(url)
        return url
    }
}

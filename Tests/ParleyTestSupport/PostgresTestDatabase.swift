import Foundation
import Logging
import PostgresNIO

/// Fresh, empty PostgreSQL schemas for tests, on the server named by `PARLEY_TEST_POSTGRES_URL`
/// (`postgres://user:password@host:port/db`; the user may create databases). Each store or server
/// under test gets a schema of its own (`?search_path=…` in its URL) in one shared database,
/// `parley_tests`, so tests run in parallel without seeing each other. Schemas rather than
/// databases: CREATE DATABASE copies a whole template, dozens of times at once on two cores.
/// Without the variable the PostgreSQL tests skip themselves; `.ci/run` always sets it.
public enum PostgresTestDatabase {
    public static let environmentVariable = "PARLEY_TEST_POSTGRES_URL"
    static let sharedDatabase = "parley_tests"

    /// The server's URL, or nil when PostgreSQL tests are not asked for.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A URL naming a schema that does not exist yet (`create(_:)` or the server's first migration
    /// makes it). Split from `create` so synchronous code can name the database before it exists.
    public static func freshURL() throws -> String {
        guard let server = serverURL, var components = URLComponents(string: server) else {
            throw TestDatabaseError("\(environmentVariable) is not set")
        }
        components.path = "/" + sharedDatabase
        components.queryItems = [URLQueryItem(name: "search_path", value: "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())]
        return components.string!
    }

    /// Makes sure the shared test database exists (the schema itself is made by the migrations).
    public static func create(_ url: String) async throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw TestDatabaseError("Not a postgres:// URL: \(url)")
        }
        try await SharedDatabase.shared.ensure {
            // Connect to the server's own database (the one in PARLEY_TEST_POSTGRES_URL) to create another.
            let admin = serverURL.flatMap { URLComponents(string: $0) }.map { String($0.path.dropFirst()) } ?? "postgres"
            let configuration = PostgresConnection.Configuration(
                host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                password: components.password?.removingPercentEncoding, database: admin, tls: .disable)
            let logger = Logger(label: "parley.tests.postgres")
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            defer { Task { try? await connection.close() } }
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(sharedDatabase)", logger: logger).collect()
            guard exists.isEmpty else { return }
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(sharedDatabase)"), logger: logger).collect()
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                // Another test process created it first.
            }
        }
    }

    /// `freshURL()` and `create(_:)` in one.
    public static func make() async throws -> String {
        let url = try freshURL()
        try await create(url)
        return url
    }
}

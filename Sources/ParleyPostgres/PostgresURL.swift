import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database` URL, parsed once at start-up into what
/// postgres-nio's client needs. `postgresql://` is accepted too. TLS is not negotiated (`disable`):
/// Parley expects PostgreSQL on a private network or loopback; `?sslmode=require` turns it on.
/// `?search_path=NAME` keeps Parley's tables in the schema NAME (created by the first migration)
/// instead of `public`: several Parley installations, or test runs, can share one database.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool
    public var searchPath: String?

    public init(_ text: String) throws {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let components = URLComponents(string: text), let host = components.host, !host.isEmpty
        else { throw PostgresURLError("Expected postgres://user:password@host:port/database, got '\(Self.redacted(text))'") }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresURLError("The PostgreSQL URL needs a user name: postgres://user:password@host:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw PostgresURLError("The PostgreSQL URL needs a database name: postgres://user:password@host:port/database")
        }
        self.host = host
        self.port = components.port ?? 5432
        // URLComponents hands back the percent-encoded form; a password may well contain '@' or '/'.
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
        self.requireTLS = sslmode == "require" || sslmode == "verify-full"
        if let searchPath = components.queryItems?.first(where: { $0.name == "search_path" })?.value, !searchPath.isEmpty {
            // Spliced into CREATE SCHEMA by the migrations: a plain identifier only.
            guard searchPath.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !searchPath.first!.isNumber else {
                throw PostgresURLError("search_path must be a plain schema name (letters, digits, _), got '\(searchPath)'")
            }
            self.searchPath = searchPath.lowercased()
        } else {
            self.searchPath = nil
        }
    }

    /// The URL without its password, for logs and error messages.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (searchPath.map { "?search_path=\($0)" } ?? "")
    }

    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        return String(text[..<scheme.upperBound]) + "…" + String(text[at...])
    }

    /// One connection's configuration (the realtime feed's LISTEN connection), on the URL's schema.
    /// A connection of its own, outside the pool (a node's listening connections), named
    /// `applicationName` in `pg_stat_activity`.
    func connectionConfiguration(applicationName: String) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        if let searchPath { configuration.options.additionalStartupParameters.append(("search_path", searchPath)) }
        return configuration
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
    }
}

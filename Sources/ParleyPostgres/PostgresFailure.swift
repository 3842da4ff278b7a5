import ParleyDomain
import PostgresNIO

/// What PostgreSQL's and the pool's errors mean to the API.
///
/// Anything that says "the database cannot be reached right now" — no connection within the
/// deadline, a connection refused or dropped, the server shutting down or starting up, the pool's
/// circuit breaker — becomes 503 `service_unavailable`, which clients may retry. Everything else
/// keeps its own error (a bug in a statement stays a 500 with the detail in the log).
enum PostgresFailure {
    static let unavailable = ParleyError(
        kind: .unavailable, code: "service_unavailable", title: "The database is unavailable; try again shortly")

    static func map(_ error: any Error) -> any Error {
        if error is ParleyError { return error }
        if isConnectionFailure(error) { return unavailable }
        // PostgreSQL text cannot hold U+0000 (SQLite's can): refuse such a value as the client's
        // mistake (400), not a server failure.
        if let error = error as? PSQLError, error.code == .server, ["22021", "22P05"].contains(sqlState(error) ?? "") {
            return ParleyError.badRequest("Text must not contain the NUL character (U+0000)")
        }
        return error
    }

    static func isUnavailable(_ error: any Error) -> Bool {
        (error as? ParleyError)?.kind == .unavailable
    }

    static func isConnectionFailure(_ error: any Error) -> Bool {
        switch error {
        case is LeaseDeadline.Expired, is LeaseDeadline.ConnectionClosed, is CancellationError:
            return true
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed, .queryCancelled:
                return true
            case .server:
                let state = sqlState(error) ?? ""
                // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now;
                // 53300: too many connections.
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            default:
                return false
            }
        default:
            // The pool's own errors (circuit breaker tripped) come from a module postgres-nio
            // does not re-export; they are recognised by name.
            return String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError")
        }
    }

    /// The session is over: the connection dropped, or the server ended it with a FATAL error
    /// (it closes the connection after one, e.g. 57P01 when it shuts down). Its transaction is
    /// gone with it, and a ROLLBACK sent now could wait forever on a connection that is closing.
    static func sessionEnded(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            return ["FATAL", "PANIC"].contains(error.serverInfo?[.severity] ?? "")
        default:
            return false
        }
    }

    /// Deadlock or serialization failure: the transaction was rolled back and may run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        error.code == .server && ["40P01", "40001"].contains(sqlState(error) ?? "")
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server else { return false }
        return sqlState(error) == "23505"
    }

    static func sqlState(_ error: PSQLError) -> String? {
        error.serverInfo?[.sqlState]
    }

    /// Maps a unique-constraint failure to the API's 409, leaving other errors as they are.
    @discardableResult
    static func conflictOnDuplicate<T>(_ title: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch where isUniqueViolation(error) {
            throw ParleyError.conflict(title)
        }
    }
}

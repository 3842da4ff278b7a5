import ParleyPostgres

/// Where the data lives, from `--database` / `PARLEY_DATABASE_URL`.
///
/// `sqlite:PATH` (or `sqlite://PATH`) is the embedded default: one node, one file.
/// `postgres://user:password@host:port/database` (or `postgresql://…`) is the shared store that
/// several nodes can serve from.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                self = .postgres(try PostgresURL(text))
            } catch let error as PostgresURLError {
                throw ConfigurationError(error.description)
            }
            return
        }
        for prefix in ["sqlite://", "sqlite:"] where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard !path.isEmpty else { break }
            self = .sqlite(path: path)
            return
        }
        throw ConfigurationError("Unrecognised database '\(text)'; expected sqlite:PATH or postgres://user:password@host:port/database")
    }

    /// The server key sits beside an SQLite file unless configured otherwise. PostgreSQL has no
    /// file to sit beside, and its nodes must all share one key, so there it has no default: a key
    /// file made by each node on its first start would differ per node, and a key created through
    /// one node would not authenticate on another.
    var defaultServerKeyFile: String? {
        switch self {
        case .sqlite(let path): path + ".key"
        case .postgres: nil
        }
    }
}

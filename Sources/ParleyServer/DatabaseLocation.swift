/// Where the data lives, from `--database` / `PARLEY_DATABASE_URL`.
///
/// `sqlite:PATH` (or `sqlite://PATH`) is the embedded default. PostgreSQL URLs are recognised and
/// refused with a clear message until the PostgreSQL store exists.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            throw ConfigurationError("PostgreSQL is not supported by this build yet; use sqlite:PATH")
        }
        for prefix in ["sqlite://", "sqlite:"] where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard !path.isEmpty else { break }
            self = .sqlite(path: path)
            return
        }
        throw ConfigurationError("Unrecognised database '\(text)'; expected sqlite:PATH")
    }

    /// The server key sits beside the database file unless configured otherwise.
    var defaultServerKeyFile: String {
        switch self {
        case .sqlite(let path): path + ".key"
        }
    }
}

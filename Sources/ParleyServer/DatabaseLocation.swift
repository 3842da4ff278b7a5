import Foundation
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

    /// For commands that must not make a new database by mistake: an SQLite file that does not
    /// exist is an error naming it, unless `create`. (A PostgreSQL database is never created by
    /// Parley: a mistyped one fails to connect.)
    public func requireExisting(unless create: Bool) throws {
        guard case .sqlite(let path) = self, !create, !FileManager.default.fileExists(atPath: path) else { return }
        throw ConfigurationError("There is no SQLite database at \(path); pass --create to make a new one")
    }

    /// Before SQLite opens a file: a missing directory named as such, not as SQLite's error 14.
    func requireDirectory() throws {
        guard case .sqlite(let path) = self else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("The directory \(directory) of the SQLite database \(path) does not exist")
        }
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

/// A store that copies itself while it serves: SQLite's (`parley backup` asks the running server
/// for the copy, since the server holds its file alone). PostgreSQL has its own tools (pg_dump,
/// point-in-time recovery) and is not one.
public protocol BackupStore: Sendable {
    /// Writes a consistent copy of the whole database as a new file beside it and returns its
    /// path; the caller removes the file once done with it.
    func backupCopy() async throws -> String
}

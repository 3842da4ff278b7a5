import ArgumentParser
import Foundation
import ParleyServer
import ParleySQLite

/// `parley restore --from FILE`: puts a backup in place of a stopped server's SQLite database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace a stopped server's SQLite database with a backup made by `parley backup`.",
        discussion: """
            The server must be stopped: a running server holds its database, and the restore refuses. The backup is \
            checked first; the database's old WAL is removed so it cannot be replayed onto the restored file. The server \
            key file (<database>.key) must be the one the backup's server used.
            """)

    @Option(help: "The backup to restore.") var from: String
    @Option(help: "Database URL (PARLEY_DATABASE_URL, default sqlite:parley.sqlite).") var database: String?

    func run() async throws {
        let configuration = try ServerConfiguration.resolve(
            flags: database.map { ["database": $0] } ?? [:], environment: ProcessInfo.processInfo.environment)
        guard case .sqlite(let path) = configuration.database else {
            throw ValidationError("parley restore is for SQLite databases; restore PostgreSQL with pg_restore or its recovery tools")
        }
        try SQLiteStore.restore(from: from, to: path)
        print("Restored \(from) into \(path)")
    }
}

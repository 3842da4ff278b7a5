import ArgumentParser
import ParleySQLite

/// `parley backup --to FILE`: asks the running server for a consistent copy of its SQLite
/// database (`GET /admin/backup`, an account key), checks it, and only then puts it at FILE.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a running server's SQLite database to a file, consistently, while it serves.",
        discussion: """
            Uses the account key in PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET (or --key-id and --key-secret). \
            The copy is checked (SQLite's integrity_check) before it replaces FILE. Keep the server key file \
            (<database>.key) and the attachments directory too: the backup holds neither. PostgreSQL: use pg_dump.
            """)

    @Option(help: "Where to write the backup.") var to: String
    @Option(help: "The server's URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "An account key's id (default PARLEY_ACCOUNT_KEY_ID).") var keyId: String?
    @Option(help: "Its secret (default PARLEY_ACCOUNT_KEY_SECRET).") var keySecret: String?

    func run() async throws {
        let server = try ServerDownload(url: url, keyId: keyId, keySecret: keySecret)
        let bytes = try await server.download("/admin/backup", to: to) { try SQLiteStore.verifyBackup(at: $0) }
        print("Backup written to \(to) (\(bytes) bytes, integrity checked)")
    }
}

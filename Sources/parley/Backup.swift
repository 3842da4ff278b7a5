import ArgumentParser
import AsyncHTTPClient
import Foundation
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
        let environment = ProcessInfo.processInfo.environment
        guard let id = keyId ?? environment["PARLEY_ACCOUNT_KEY_ID"], let secret = keySecret ?? environment["PARLEY_ACCOUNT_KEY_SECRET"] else {
            throw ValidationError("An account key is needed: set PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or give --key-id and --key-secret")
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        var request = HTTPClientRequest(url: base + "/admin/backup")
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(1))
        guard response.status == .ok else {
            let text = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            throw ValidationError("The server answered \(response.status.code): \(text)")
        }
        let partial = to + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
            throw ValidationError("Cannot write \(partial)")
        }
        var bytes = 0
        do {
            for try await chunk in response.body {
                try file.write(contentsOf: Data(chunk.readableBytesView))
                bytes += chunk.readableBytes
            }
            try file.synchronize()
            try file.close()
            try SQLiteStore.verifyBackup(at: partial)
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        if FileManager.default.fileExists(atPath: to) { try FileManager.default.removeItem(atPath: to) }
        try FileManager.default.moveItem(atPath: partial, toPath: to)
        print("Backup written to \(to) (\(bytes) bytes, integrity checked)")
    }
}

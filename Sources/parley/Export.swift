import ArgumentParser
import Foundation
import ParleyDomain

/// `parley export --app ID --to FILE`: an app's users, conversations and messages as JSON lines,
/// from the running server (`GET /admin/apps/{appId}/export`), on SQLite or PostgreSQL.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an app's users, conversations and messages to a file as JSON lines.",
        discussion: """
            Uses the account key in PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or --key-id and --key-secret \
            (an account key or one of the app's keys). Each line is {"type": "app"|"user"|"conversation"|"message", …} \
            with the resource as the API shows it; the file is complete only when its last line is {"type": "end"}, \
            which is checked before FILE is written.
            """)

    @Option(help: "The app's id.") var app: String
    @Option(help: "Where to write the export.") var to: String
    @Option(help: "The server's URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "A key's id (default PARLEY_ACCOUNT_KEY_ID).") var keyId: String?
    @Option(help: "Its secret (default PARLEY_ACCOUNT_KEY_SECRET).") var keySecret: String?

    func run() async throws {
        let server = try ServerDownload(url: url, keyId: keyId, keySecret: keySecret)
        guard ResourceID(app) != nil else {
            throw ValidationError("--app must be an app id (24 hexadecimal digits)")
        }
        var lines = 0
        let bytes = try await server.download("/admin/apps/\(app)/export", to: to) { lines = try Self.checkComplete($0) }
        print("Export of app \(app) written to \(to) (\(lines) lines, \(bytes) bytes)")
    }

    /// The number of lines before the `end` line, which must be last and count them.
    static func checkComplete(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("Cannot read \(path)") }
        defer { try? handle.close() }
        // The end line is short: the file's last 4 kB hold it.
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let tail = try handle.readToEnd() ?? Data()
        let lastLine = tail.split(separator: UInt8(ascii: "\n")).last.map { Data($0) } ?? Data()
        var newlines = 0
        try handle.seek(toOffset: 0)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            newlines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        guard let end = try? JSONSerialization.jsonObject(with: lastLine) as? [String: Any], end["type"] as? String == "end",
            let counted = end["lines"] as? Int, counted == newlines - 1
        else { throw ValidationError("The export was cut short (no end line counting its lines); nothing was written") }
        return counted
    }
}

import ArgumentParser
import Foundation
import ParleyClient

/// How the administration commands reach a running server: its URL and a key, by flag or from the
/// environment (the account key `parley serve` is given, so one `export` serves both).
struct ServerOptions: ParsableArguments {
    @Option(help: "The server's URL (default PARLEY_URL, else http://127.0.0.1:8080).") var url: String?
    @Option(help: "A key's id (default PARLEY_KEY_ID, else PARLEY_ACCOUNT_KEY_ID).") var keyId: String?
    @Option(help: "Its secret (default PARLEY_KEY_SECRET, else PARLEY_ACCOUNT_KEY_SECRET).") var keySecret: String?
    @Flag(help: "Print the API's JSON instead of a table.") var json = false

    func client() throws -> SunshineClient {
        let environment = ProcessInfo.processInfo.environment
        guard let id = keyId ?? environment["PARLEY_KEY_ID"] ?? environment["PARLEY_ACCOUNT_KEY_ID"],
            let secret = keySecret ?? environment["PARLEY_KEY_SECRET"] ?? environment["PARLEY_ACCOUNT_KEY_SECRET"]
        else {
            throw ValidationError("A key is needed: give --key-id and --key-secret, or set PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET")
        }
        let base = url ?? environment["PARLEY_URL"] ?? "http://127.0.0.1:8080"
        return SunshineClient(baseURL: base, credentials: .basic(keyId: id, secret: secret))
    }

    /// Prints `value` as JSON (`--json`) or as `table`'s rows.
    func print<Value: Encodable>(_ value: Value, _ table: @autoclosure () -> Table) throws {
        if json {
            Swift.print(String(decoding: try Self.encoder.encode(value), as: UTF8.self))
        } else {
            Swift.print(table().rendered, terminator: "")
        }
    }

    /// Prints a one-line confirmation, or `{}` for scripts.
    func done(_ message: String) {
        Swift.print(json ? "{}" : message)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }()
}

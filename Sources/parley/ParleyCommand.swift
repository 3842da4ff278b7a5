import ArgumentParser
import Foundation
import ParleyServer

/// `parley`: the executable stays this thin; composition lives in `ParleyServer.buildApplication`.
@main
struct ParleyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A self-hosted server speaking the Sunshine Conversations v2 API.",
        subcommands: [Serve.self, Keys.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API server until SIGTERM or SIGINT.")

    @Option(help: "Address to listen on (env PARLEY_HOSTNAME, default 127.0.0.1).") var hostname: String?
    @Option(help: "Port to listen on (env PARLEY_PORT, default 8080).") var port: Int?
    @Option(help: "Database URL: sqlite:parley.sqlite or postgres://user:password@host:port/db (env PARLEY_DATABASE_URL).") var database: String?

    func run() async throws {
        let configuration = try ServerConfiguration.resolve(
            hostname: hostname, port: port, database: database, environment: ProcessInfo.processInfo.environment)
        let app = try await buildApplication(configuration)
        try await app.runService()
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API keys.", subcommands: [CreateAccount.self])

    struct CreateAccount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-account", abstract: "Create an account-scope key and print it as JSON {\"id\", \"secret\"}.")

        @Option(help: "Database URL (env PARLEY_DATABASE_URL, default sqlite:parley.sqlite).") var database: String?

        func run() async throws {
            let configuration = try ServerConfiguration.resolve(
                hostname: nil, port: nil, database: database, environment: ProcessInfo.processInfo.environment)
            let issued = try await ParleyServices.open(configuration).startUp { try await $0.keys.createAccountKey() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(["id": issued.key.id.rawValue, "secret": issued.secret]), as: UTF8.self))
        }
    }
}

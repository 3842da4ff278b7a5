import ArgumentParser
import Foundation
import ParleyServer

/// `parley`: the executable stays this thin; composition lives in `ParleyServer.buildApplication`.
@main
struct ParleyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A self-hosted server speaking the Sunshine Conversations v2 API.",
        version: ParleyVersion.current,
        subcommands: [
            Serve.self, Backup.self, Restore.self, Export.self,
            // Everyday administration of a running server, through ParleyClient.
            Apps.self, Keys.self, Users.self, Conversations.self, Messages.self, Webhooks.self, OAuthClients.self,
        ])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the API server until SIGTERM or SIGINT.", discussion: Settings.help)

    // Taken as text and checked by the same rules as their environment variables (`Settings`).
    @Option(help: "Address to listen on (PARLEY_HOSTNAME).") var hostname: String?
    @Option(help: "Port to listen on (PARLEY_PORT).") var port: String?
    @Option(help: "Database URL (PARLEY_DATABASE_URL).") var database: String?

    func run() async throws {
        let flags = ["hostname": hostname, "port": port, "database": database].compactMapValues { $0 }
        let configuration = try ServerConfiguration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        bootstrapLogging(configuration)
        let traces = try TracingBootstrap.bootstrap()
        let app = try await buildApplication(configuration, services: [traces].compactMap { $0 })
        try await app.runService()
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys: an app's (on a running server, account key) or a new account key (in the database).",
        subcommands: [List.self, Create.self, Get.self, Delete.self, CreateAccount.self])

    struct CreateAccount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-account", abstract: "Create an account-scope key and print it as JSON {\"id\", \"secret\"}.",
            discussion: "Run it while no server uses an SQLite database: the server holds its file alone.")

        @Option(help: "Database URL (PARLEY_DATABASE_URL, default sqlite:parley.sqlite).") var database: String?
        @Flag(help: "Create the SQLite database if it does not exist (without it, a mistyped path is an error, not a new database).")
        var create = false

        func run() async throws {
            let configuration = try ServerConfiguration.resolve(
                flags: database.map { ["database": $0] } ?? [:], environment: ProcessInfo.processInfo.environment)
            try configuration.database.requireExisting(unless: create)
            let issued = try await ParleyServices.open(configuration).startUp { try await $0.keys.createAccountKey() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(["id": issued.key.id.rawValue, "secret": issued.secret]), as: UTF8.self))
        }
    }
}

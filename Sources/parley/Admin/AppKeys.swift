import ArgumentParser
import ParleyClient

/// `parley keys list|create|get|delete --app ID`: an app's keys (account key). Secrets are
/// shown, as the API shows them to the account.
extension Keys {
    static func table(_ keys: [APIKey]) -> Table {
        Table("ID", "NAME", "SECRET", rows: keys.map { [$0.id, $0.displayName.cell, $0.secret.cell] })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List an app's keys.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String

        func run(_ client: SunshineClient) async throws {
            let keys = try await client.appKeys.list(appId: app)
            try server.print(keys, Keys.table(keys))
        }
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Create an app key.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The key's display name.") var name: String

        func run(_ client: SunshineClient) async throws {
            let key = try await client.appKeys.create(appId: app, displayName: name)
            try server.print(key, Keys.table([key]))
        }
    }

    struct Get: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Show an app key.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The key's id (app_…).") var key: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.appKeys.get(appId: app, keyId: key)
            try server.print(found, Keys.table([found]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an app key (an OAuth grant's too, revoking it).")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The key's id (app_…).") var key: String

        func run(_ client: SunshineClient) async throws {
            try await client.appKeys.delete(appId: app, keyId: key)
            server.done("Deleted key \(key)")
        }
    }
}

import ArgumentParser
import ParleyClient

/// `parley oauth-clients …`: the programs allowed to ask owners for access to their apps
/// (`/admin/oauthClients`, account key). The secret is shown once, on creation.
struct OAuthClients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth-clients", abstract: "Register, list and delete OAuth clients (account key).",
        subcommands: [List.self, Create.self, Delete.self])

    static func table(_ clients: [OAuthClient]) -> Table {
        Table(
            "ID", "NAME", "REDIRECT URIS", "SECRET",
            rows: clients.map { [$0.id, $0.name.cell, ($0.redirectUris ?? []).joined(separator: " "), $0.secret ?? "(shown once, on creation)"] })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List the OAuth clients.")
        @OptionGroup var server: ServerOptions

        func run(_ client: SunshineClient) async throws {
            let clients = try await client.oauthClients.list()
            try server.print(clients, OAuthClients.table(clients))
        }
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Register an OAuth client; its secret is printed this once.")
        @OptionGroup var server: ServerOptions
        @Option(help: "Its name, shown to owners on the consent page.") var name: String
        @Option(name: .customLong("redirect-uri"), help: "Where codes may be sent (repeat for several; the first is the default).")
        var redirectURIs: [String]

        func run(_ client: SunshineClient) async throws {
            let created = try await client.oauthClients.create(name: name, redirectUris: redirectURIs)
            try server.print(created, OAuthClients.table([created]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an OAuth client, revoking every token it was given.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The client's id.") var id: String

        func run(_ client: SunshineClient) async throws {
            try await client.oauthClients.delete(clientId: id)
            server.done("Deleted OAuth client \(id)")
        }
    }
}

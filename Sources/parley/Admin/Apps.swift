import ArgumentParser
import ParleyClient

/// `parley apps …`: CreateApp, ListApps, GetApp, UpdateApp, DeleteApp (account key).
struct Apps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, show, rename and delete apps (account key).", subcommands: [List.self, Create.self, Get.self, Update.self, Delete.self])

    static func table(_ apps: [App]) -> Table {
        Table("ID", "NAME", rows: apps.map { [$0.id, $0.displayName.cell] })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List every app.")
        @OptionGroup var server: ServerOptions

        func run(_ client: SunshineClient) async throws {
            var apps: [App] = []
            for try await app in client.apps.list() { apps.append(app) }
            try server.print(apps, Apps.table(apps))
        }
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Create an app.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "Its display name.") var name: String

        func run(_ client: SunshineClient) async throws {
            let app = try await client.apps.create(AppCreate(displayName: name))
            try server.print(app, Apps.table([app]))
        }
    }

    struct Get: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Show an app.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The app's id.") var app: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.apps.get(appId: app)
            try server.print(found, Apps.table([found]))
        }
    }

    struct Update: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Rename an app.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The app's id.") var app: String
        @Option(help: "Its new display name.") var name: String

        func run(_ client: SunshineClient) async throws {
            let updated = try await client.apps.update(appId: app, AppUpdate(displayName: name))
            try server.print(updated, Apps.table([updated]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an app with everything in it.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The app's id.") var app: String

        func run(_ client: SunshineClient) async throws {
            try await client.apps.delete(appId: app)
            server.done("Deleted app \(app)")
        }
    }
}

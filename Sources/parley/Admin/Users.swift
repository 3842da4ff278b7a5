import ArgumentParser
import ParleyClient

/// `parley users …`: CreateUser, GetUser, UpdateUser, DeleteUser, and ListUsers by email.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, find, show, update and delete an app's users.", subcommands: [Create.self, List.self, Get.self, Update.self, Delete.self])

    static func table(_ users: [User]) -> Table {
        Table(
            "ID", "EXTERNAL ID", "NAME", "EMAIL",
            rows: users.map { user in
                let name = [user.profile?.givenName, user.profile?.surname].compactMap { $0 }.joined(separator: " ")
                return [user.id, user.externalId.cell, name.isEmpty ? "-" : name, user.profile?.email.cell ?? "-"]
            })
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "Your own id for the user.") var externalId: String?
        @Option(help: "Given name.") var givenName: String?
        @Option(help: "Surname.") var surname: String?
        @Option(help: "Email address (the profile's).") var email: String?

        func run(_ client: SunshineClient) async throws {
            let profile = UserProfile(givenName: givenName, surname: surname, email: email)
            let user = try await client.users.create(appId: app, UserCreate(externalId: externalId, profile: profile))
            try server.print(user, Users.table([user]))
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Find users by an email identity (the API lists users by one).")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The email identity to look for.") var email: String

        func run(_ client: SunshineClient) async throws {
            let users = try await client.users.list(appId: app, email: email)
            try server.print(users, Users.table(users))
        }
    }

    struct Get: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The user's id or externalId.") var user: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.users.get(appId: app, user: user)
            try server.print(found, Users.table([found]))
        }
    }

    struct Update: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's profile.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The user's id or externalId.") var user: String
        @Option(help: "Given name.") var givenName: String?
        @Option(help: "Surname.") var surname: String?
        @Option(help: "Email address (the profile's).") var email: String?

        func run(_ client: SunshineClient) async throws {
            var profile = UserProfileUpdate()
            if let givenName { profile.givenName = .value(givenName) }
            if let surname { profile.surname = .value(surname) }
            if let email { profile.email = .value(email) }
            let updated = try await client.users.update(appId: app, user: user, UserUpdate(profile: profile))
            try server.print(updated, Users.table([updated]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user (their personal information goes with them).")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The user's id or externalId.") var user: String

        func run(_ client: SunshineClient) async throws {
            try await client.users.delete(appId: app, user: user)
            server.done("Deleted user \(user)")
        }
    }
}

import ArgumentParser
import ParleyClient

/// `parley conversations …`: ListConversations (by user), CreateConversation (a user's personal
/// one), GetConversation, DeleteConversation.
struct Conversations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, start, show and delete conversations.", subcommands: [List.self, Create.self, Get.self, Delete.self])

    static func table(_ conversations: [Conversation]) -> Table {
        Table(
            "ID", "TYPE", "NAME", "LAST UPDATED",
            rows: conversations.map { [$0.id, $0.type.rawValue, $0.displayName.cell, $0.lastUpdatedAt.cell] })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's conversations.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The user's id or externalId.") var user: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.users.get(appId: app, user: user)
            var conversations: [Conversation] = []
            for try await conversation in client.conversations.list(appId: app, filter: .userId(found.id)) { conversations.append(conversation) }
            try server.print(conversations, Conversations.table(conversations))
        }
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Start a user's personal conversation.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The user's id or externalId.") var user: String
        @Option(help: "Its display name.") var name: String?

        func run(_ client: SunshineClient) async throws {
            let found = try await client.users.get(appId: app, user: user)
            let conversation = try await client.conversations.create(
                appId: app, .personal(ParticipantJoin(userId: found.id), displayName: name))
            try server.print(conversation, Conversations.table([conversation]))
        }
    }

    struct Get: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Show a conversation.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The conversation's id.") var conversation: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.conversations.get(appId: app, conversationId: conversation)
            try server.print(found, Conversations.table([found]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a conversation and its messages.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Argument(help: "The conversation's id.") var conversation: String

        func run(_ client: SunshineClient) async throws {
            try await client.conversations.delete(appId: app, conversationId: conversation)
            server.done("Deleted conversation \(conversation)")
        }
    }
}

import ArgumentParser
import ParleyClient

/// `parley messages …`: ListMessages (newest page first, `--limit` of them), PostMessage (text),
/// DeleteMessage.
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read, send and delete a conversation's messages.", subcommands: [List.self, Post.self, Delete.self])

    static func table(_ messages: [Message]) -> Table {
        Table(
            "ID", "RECEIVED", "AUTHOR", "TYPE", "TEXT",
            rows: messages.map { message in
                let author = message.author.map { $0.displayName ?? $0.type.rawValue } ?? "-"
                return [message.id, message.received.cell, author, message.content?.type ?? "-", message.content?.text ?? ""]
            })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List a conversation's latest messages, oldest first.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The conversation's id.") var conversation: String
        @Option(help: "How many of the latest messages.") var limit = 25

        func run(_ client: SunshineClient) async throws {
            var messages: [Message] = []
            // The API pages backwards from the latest; the sequence walks back page by page.
            for try await message in client.messages.list(appId: app, conversationId: conversation) {
                messages.append(message)
                if messages.count >= limit { break }
            }
            messages.sort { ($0.received ?? .distantPast) < ($1.received ?? .distantPast) }
            try server.print(messages, Messages.table(messages))
        }
    }

    struct Post: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Send a text message, as the business or as a user.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The conversation's id.") var conversation: String
        @Option(help: "The text.") var text: String
        @Option(help: "Send as this user (id) instead of the business.") var asUser: String?
        @Option(help: "The business author's display name.") var authorName: String?

        func run(_ client: SunshineClient) async throws {
            let author: Author = asUser.map { Author.user(id: $0) } ?? .business(displayName: authorName)
            let messages = try await client.messages.post(appId: app, conversationId: conversation, MessagePost(author: author, content: .text(text)))
            try server.print(messages, Messages.table(messages))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a message.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The conversation's id.") var conversation: String
        @Argument(help: "The message's id.") var message: String

        func run(_ client: SunshineClient) async throws {
            try await client.messages.delete(appId: app, conversationId: conversation, messageId: message)
            server.done("Deleted message \(message)")
        }
    }
}

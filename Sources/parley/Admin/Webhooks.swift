import ArgumentParser
import ParleyClient

/// `parley webhooks …`: a custom integration's webhooks (CreateWebhook … DeleteWebhook).
struct Webhooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage a custom integration's webhooks.", subcommands: [List.self, Create.self, Get.self, Update.self, Delete.self])

    static func table(_ webhooks: [Webhook]) -> Table {
        Table(
            "ID", "TARGET", "TRIGGERS", "SECRET",
            rows: webhooks.map { [$0.id, $0.target.cell, ($0.triggers ?? []).map(\.rawValue).joined(separator: ","), $0.secret.cell] })
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "List an integration's webhooks.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The custom integration's id.") var integration: String

        func run(_ client: SunshineClient) async throws {
            let webhooks = try await client.webhooks.list(appId: app, integrationId: integration)
            try server.print(webhooks, Webhooks.table(webhooks))
        }
    }

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Add a webhook.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The custom integration's id.") var integration: String
        @Option(help: "Where events are posted.") var target: String
        @Option(name: .customLong("trigger"), help: "A trigger (repeat for several; default conversation:message).") var triggers: [String] = []
        @Flag(help: "Include the whole user in payloads.") var includeFullUser = false
        @Flag(help: "Include the whole source in payloads.") var includeFullSource = false

        func run(_ client: SunshineClient) async throws {
            let triggers = (self.triggers.isEmpty ? ["conversation:message"] : self.triggers).map { WebhookTrigger(rawValue: $0) }
            let webhook = try await client.webhooks.create(
                appId: app, integrationId: integration,
                WebhookCreate(
                    target: target, triggers: triggers, includeFullUser: includeFullUser ? true : nil, includeFullSource: includeFullSource ? true : nil))
            try server.print(webhook, Webhooks.table([webhook]))
        }
    }

    struct Get: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Show a webhook.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The custom integration's id.") var integration: String
        @Argument(help: "The webhook's id.") var webhook: String

        func run(_ client: SunshineClient) async throws {
            let found = try await client.webhooks.get(appId: app, integrationId: integration, webhookId: webhook)
            try server.print(found, Webhooks.table([found]))
        }
    }

    struct Update: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Change a webhook's target or triggers.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The custom integration's id.") var integration: String
        @Argument(help: "The webhook's id.") var webhook: String
        @Option(help: "Where events are posted.") var target: String?
        @Option(name: .customLong("trigger"), help: "The triggers (repeat; replaces the list).") var triggers: [String] = []

        func run(_ client: SunshineClient) async throws {
            let update = WebhookUpdate(target: target, triggers: triggers.isEmpty ? nil : triggers.map { WebhookTrigger(rawValue: $0) })
            let updated = try await client.webhooks.update(appId: app, integrationId: integration, webhookId: webhook, update)
            try server.print(updated, Webhooks.table([updated]))
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a webhook.")
        @OptionGroup var server: ServerOptions
        @Option(help: "The app's id.") var app: String
        @Option(help: "The custom integration's id.") var integration: String
        @Argument(help: "The webhook's id.") var webhook: String

        func run(_ client: SunshineClient) async throws {
            try await client.webhooks.delete(appId: app, integrationId: integration, webhookId: webhook)
            server.done("Deleted webhook \(webhook)")
        }
    }
}

import ParleyDomain
import ParleyHTTP
import ParleySQLite

/// The assembled domain: one store, one id generator, and the services over them.
public struct ParleyServices: Sendable {
    public let store: any ParleyStore
    public let apps: AppService
    public let keys: KeyService
    public let users: UserService
    public let conversations: ConversationService
    public let messages: MessageService
    public let integrations: IntegrationService
    public let webhooks: WebhookService
    public let clients: ClientService
    public let inbound: InboundService

    /// Opens the store, migrates it, and wires the services.
    public static func open(_ configuration: ServerConfiguration) async throws -> ParleyServices {
        let store: any ParleyStore
        switch configuration.database {
        case .sqlite(let path): store = try SQLiteStore(path: path)
        }
        try await store.migrate()
        let sealer = try CryptoSecretSealer(serverKey: try configuration.serverKey.load())
        let ids = ResourceIDGenerator()
        let apps = AppService(store: store, ids: ids)
        let conversations = ConversationService(store: store, ids: ids)
        let messages = MessageService(store: store, conversations: conversations, ids: ids, messageLimit: configuration.messageLimit)
        let clients = ClientService(store: store, conversations: conversations, ids: ids)
        return ParleyServices(
            store: store, apps: apps, keys: KeyService(store: store, apps: apps, sealer: sealer, ids: ids),
            users: UserService(store: store, ids: ids), conversations: conversations, messages: messages,
            integrations: IntegrationService(store: store, sealer: sealer, ids: ids), webhooks: WebhookService(store: store, ids: ids),
            clients: clients, inbound: InboundService(store: store, clients: clients, messages: messages, ids: ids))
    }
}

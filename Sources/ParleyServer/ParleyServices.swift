import Logging
import ParleyConnectors
import ParleyDomain
import ParleyHTTP
import ParleyPostgres
import ParleySQLite
import ServiceLifecycle

/// The assembled domain: one store, one id generator, and the services over them.
public struct ParleyServices: Sendable {
    public let store: any ParleyStore
    /// The store's own long-lived work, to run beside the HTTP server: PostgreSQL's connection
    /// pool. Nil for SQLite, which needs none.
    public let storeService: (any Service)?
    public let apps: AppService
    public let keys: KeyService
    public let users: UserService
    public let conversations: ConversationService
    public let messages: MessageService
    public let integrations: IntegrationService
    public let webhooks: WebhookService
    public let clients: ClientService
    public let inbound: InboundService

    /// Opens the store and wires the services. Nothing is migrated yet: see `startUp`.
    /// `now`: the services' clock (message times, retry schedules, prompt expiry); tests move it forward.
    public static func open(_ configuration: ServerConfiguration, now: @escaping @Sendable () -> Timestamp = { .now() }) throws -> ParleyServices {
        let store: any ParleyStore
        var storeService: (any Service)?
        switch configuration.database {
        case .sqlite(let path):
            try configuration.database.requireDirectory()
            do {
                var logger = Logger(label: "parley.sqlite")
                logger.logLevel = configuration.logLevel
                store = try SQLiteStore(path: path, logger: logger)
            } catch let error as DatabaseInUseError {
                throw error
            } catch {
                throw ConfigurationError("Cannot open the SQLite database \(path): \(error)")
            }
        case .postgres(let url):
            var logger = Logger(label: "parley.postgres")
            logger.logLevel = configuration.logLevel
            let postgres = PostgresStore(url: url, options: postgresOptions(configuration), logger: logger)
            store = postgres
            storeService = postgres
        }
        let sealer = try CryptoSecretSealer(serverKey: try configuration.serverKey.load())
        let ids = ResourceIDGenerator()
        let apps = AppService(store: store, ids: ids)
        let conversations = ConversationService(store: store, ids: ids, now: now)
        let messages = MessageService(store: store, conversations: conversations, ids: ids, messageLimit: configuration.messageLimit, now: now)
        let clients = ClientService(store: store, conversations: conversations, ids: ids, carriedTypes: ChannelDispatcher.carriedTypes, now: now)
        return ParleyServices(
            store: store, storeService: storeService, apps: apps, keys: KeyService(store: store, apps: apps, sealer: sealer, ids: ids),
            users: UserService(store: store, ids: ids, now: now), conversations: conversations, messages: messages,
            integrations: IntegrationService(store: store, sealer: sealer, outbound: configuration.outboundPolicy, ids: ids),
            webhooks: WebhookService(store: store, sealer: sealer, outbound: configuration.outboundPolicy, ids: ids, now: now),
            clients: clients, inbound: InboundService(store: store, clients: clients, messages: messages, ids: ids, now: now))
    }

    /// Migrates the store and runs `work` (the account key, a CLI command, a test's reads) with
    /// the store reachable. On PostgreSQL a pool runs for the duration, and the whole of it holds
    /// the start-up lock, so nodes starting together migrate and bootstrap one after another.
    public func startUp<T: Sendable>(_ work: @escaping @Sendable (ParleyServices) async throws -> T) async throws -> T {
        if let postgres = store as? PostgresStore {
            return try await postgres.withRunning {
                try await postgres.withStartupLock {
                    try await postgres.migrate()
                    _ = try await webhooks.sealStoredSecrets()
                    return try await work(self)
                }
            }
        }
        try await store.migrate()
        _ = try await webhooks.sealStoredSecrets()
        return try await work(self)
    }

    /// A node owns claimed outbox work for twice the longest send plus 10 s to record it; past
    /// that, another node may send it again (docs/DECISIONS.md, "Several nodes").
    static func postgresOptions(_ configuration: ServerConfiguration) -> PostgresStoreOptions {
        func lease(_ policy: RetryPolicy) -> Int64 { Int64((2 * policy.requestTimeoutSeconds + 10) * 1000) }
        return PostgresStoreOptions(
            maximumConnections: configuration.databaseConnections,
            acquireTimeout: .milliseconds(Int64(configuration.databaseTimeoutSeconds * 1000)),
            webhookClaimMilliseconds: lease(configuration.webhookPolicy), channelClaimMilliseconds: lease(configuration.channelPolicy))
    }
}

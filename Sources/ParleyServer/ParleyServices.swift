import CoreMetrics
import Logging
import Foundation
import ParleyConnectors
import ParleyDomain
import ParleyFiles
import ParleyHTTP
import ParleyPostgres
import ParleySQLite
import ServiceLifecycle

/// The assembled domain: one store and the services over it (`services.messages` reads through to
/// `DomainServices`).
@dynamicMemberLookup
public struct ParleyServices: Sendable {
    public let store: any ParleyStore
    /// The store's own long-lived work, to run beside the HTTP server: PostgreSQL's connection
    /// pool. Nil for SQLite, which needs none.
    public let storeService: (any Service)?
    public let domain: DomainServices
    /// Signs and checks the sessions of the messenger and the inbox.
    public let sessions: SessionTokens

    public subscript<Service>(dynamicMember path: KeyPath<DomainServices, Service>) -> Service { domain[keyPath: path] }

    /// Opens the store and wires the services. Nothing is migrated yet: see `startUp`.
    /// `now`: the services' clock (message times, retry schedules, prompt expiry); tests move it forward.
    /// `metrics`: where the store records its own figures (group commits, checkpoints, pool waits).
    public static func open(
        _ configuration: ServerConfiguration, metrics: any MetricsFactory = NOOPMetricsHandler.instance, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) throws -> ParleyServices {
        let store: any ParleyStore
        var storeService: (any Service)?
        switch configuration.database {
        case .sqlite(let path):
            try configuration.database.requireDirectory()
            do {
                var logger = Logger(label: "parley.sqlite")
                logger.logLevel = configuration.logLevel
                store = try SQLiteStore(path: path, logger: logger, metrics: metrics)
            } catch let error as DatabaseInUseError {
                throw error
            } catch {
                throw ConfigurationError("Cannot open the SQLite database \(path): \(error)")
            }
        case .postgres(let url):
            var logger = Logger(label: "parley.postgres")
            logger.logLevel = configuration.logLevel
            var options = postgresOptions(configuration)
            options.metrics = metrics
            let postgres = PostgresStore(url: url, options: options, logger: logger)
            store = postgres
            storeService = postgres
        }
        let directory = configuration.attachmentsDirectory ?? {
            switch configuration.database {
            case .sqlite(let path): path + ".attachments"
            case .postgres: "attachments"
            }
        }()
        let attachments: LocalAttachmentStorage
        do {
            attachments = try LocalAttachmentStorage(directory: URL(fileURLWithPath: directory))
        } catch {
            throw ConfigurationError("Cannot create the attachments directory \(directory): \(error.localizedDescription)")
        }
        let serverKey = try configuration.serverKey.load()
        let registrar = ChannelRegistry.registrar(
            apiBaseURLs: configuration.channelAPIURLs, publicBaseURL: configuration.publicBaseURL, outbound: configuration.outboundPolicy)
        let domain = DomainServices(
            store: store, sealer: try CryptoSecretSealer(serverKey: serverKey), channels: ChannelRegistry.all, registrar: registrar,
            conversionEvents: registrar,
            attachments: attachments, attachmentRules: configuration.attachmentRules, messageLimit: configuration.messageLimit,
            outbound: configuration.outboundPolicy, now: now)
        return ParleyServices(store: store, storeService: storeService, domain: domain, sessions: SessionTokens(serverKey: serverKey))
    }

    /// Migrates the store and runs `work` (the account key, a CLI command, a test's reads) with
    /// the store reachable; webhook secrets left in the clear by older versions are sealed first.
    public func startUp<T: Sendable>(_ work: @escaping @Sendable (ParleyServices) async throws -> T) async throws -> T {
        try await store.startUp {
            _ = try await domain.webhooks.sealStoredSecrets()
            return try await work(self)
        }
    }

    /// A node owns claimed outbox work for twice the longest send plus 10 s to record it; past
    /// that, another node may send it again (docs/DECISIONS.md, "Several nodes").
    static func postgresOptions(_ configuration: ServerConfiguration) -> PostgresStoreOptions {
        func lease(_ policy: RetryPolicy) -> Int64 { Int64((2 * policy.requestTimeoutSeconds + 10) * 1000) }
        return PostgresStoreOptions(
            maximumConnections: configuration.databaseConnections,
            acquireTimeout: .milliseconds(Int64(configuration.databaseTimeoutSeconds * 1000)),
            webhookClaimMilliseconds: lease(configuration.webhookPolicy), channelClaimMilliseconds: lease(configuration.channelPolicy),
            caching: configuration.databaseCaching)
    }
}

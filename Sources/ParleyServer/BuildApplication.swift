import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import ParleyConnectors
import ParleyDomain
import ParleyHTTP
import ParleyWebhooks
import ServiceLifecycle

/// The composition root: configuration → store → services → HTTP. `parley serve` and the tests
/// both build the server through here, so what is tested is what runs.
///
/// `announce` receives lines meant for the operator's terminal (a newly generated account key).
/// `now` is every service's clock and `passes` count the dispatchers' polling passes: tests move
/// the clock forward and wait for passes instead of sleeping. `extra`: services of the process to
/// run and stop with the server's (the trace exporter).
public func buildApplication(
    _ configuration: ServerConfiguration, announce: @escaping @Sendable (String) -> Void = { line in
        // Written unbuffered: the line must reach a redirected stdout even if the process is killed.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    },
    now: @escaping @Sendable () -> Timestamp = { .now() },
    passes: (webhooks: PassCounter, channels: PassCounter) = (PassCounter(), PassCounter()),
    services extra: [any Service] = []
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "parley") { ServerLogHandler(label: $0, format: configuration.logFormat) }
        logger.logLevel = configuration.logLevel
        return logger
    }()
    // Before anything is created or printed: a busy port leaves no new database or key behind.
    try ListenAddress.requireAvailable(hostname: configuration.hostname, port: configuration.port)
    logger.info("Parley \(ParleyVersion.current) starting", metadata: configuration.logMetadata)
    let metrics = ServerMetrics(now: now())
    let services = try ParleyServices.open(configuration, metrics: metrics.factory, now: now)
    try await services.startUp { services in
        try await bootstrapAccountKey(services.keys, configuration: configuration, announce: announce)
    }

    let inbox = ChannelInboxRouter(
        integrations: services.integrations,
        services: ChannelServices(
            inbound: services.inbound, clients: services.clients, attachments: services.attachments, outbound: configuration.outboundPolicy,
            apiBaseURLs: configuration.channelAPIURLs))
    let router = buildRouter(
        services.domain, inbox: inbox, publicBaseURL: configuration.publicBaseURL, sessions: services.sessions,
        rateLimit: configuration.rateLimit, backups: services.store as? any BackupStore, metrics: RequestMetrics(factory: metrics.factory),
        metricsEndpoint: MetricsEndpoint(token: configuration.metricsToken) { [store = services.store] in
            await metrics.render(backlog: store, now: now(), logger: logger)
        },
        now: now)
    let hub = RealtimeHub(store: services.store)
    let realtime = RealtimeSockets(
        hub: hub, services: services.domain, sessions: services.sessions, pingInterval: .milliseconds(Int64(configuration.realtimePingSeconds * 1000)),
        metrics: metrics.factory, now: now)
    let webhooks = services.webhooks
    let outbound = configuration.outboundPolicy
    let dispatcher = WebhookDispatcher(
        store: services.store, openSecret: { try webhooks.secret(of: $0) }, policy: configuration.webhookPolicy, logger: logger,
        makeTransport: { HTTPWebhookTransport.live(outbound: outbound) }, now: now, passes: passes.webhooks, metrics: metrics.factory)
    let channels = ChannelDispatcher(
        store: services.store, clients: services.clients, integrations: services.integrations, policy: configuration.channelPolicy,
        promptExpirySeconds: configuration.promptExpirySeconds, logger: logger,
        makeConnectors: ChannelRegistry.connectors(
            apiBaseURLs: configuration.channelAPIURLs, publicBaseURL: configuration.publicBaseURL, outbound: outbound,
            attachments: services.attachments),
        now: now, passes: passes.channels, metrics: metrics.factory)
    // Slow and idle clients: every connection gets a guard; the cap stays below what the
    // process's descriptors allow, raised first where the system lets us.
    let softLimit = DescriptorLimit.raise()
    var limits = configuration.connectionLimits
    limits.maxConnections = DescriptorLimit.connectionCap(configured: limits.maxConnections, softLimit: softLimit)
    if limits.maxConnections < configuration.connectionLimits.maxConnections {
        logger.warning(
            "Fewer connections than PARLEY_MAX_CONNECTIONS: the descriptor limit allows these",
            metadata: ["maxConnections": "\(limits.maxConnections)", "descriptors": "\(softLimit ?? 0)"])
    }
    let gate = ConnectionGate(limit: limits.maxConnections, logger: logger)
    let guardedLimits = limits
    return Application(
        router: router,
        // Every connection passes `ConnectionAdmission` first; plain HTTP ones then get a
        // `ConnectionGuard`, and the realtime sockets' paths upgrade to WebSockets.
        server: HTTPServerBuilder { responder in
            GuardedUpgradeChannel(
                upgrade: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    configuration: .init(http1: .init(additionalChannelHandlers: [ConnectionGuard(limits: guardedLimits)]), ws: realtime.configuration),
                    shouldUpgrade: { request, _, _ in realtime.shouldUpgrade(request) }),
                gate: gate, headerTimeout: ConnectionGuard.amount(guardedLimits.headerTimeoutSeconds))
        },
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: "parley"),
        // The store's pool first: a service group stops services in reverse order, so the pool
        // closes only after the server has finished its in-flight requests and the dispatchers
        // have recorded their last attempts.
        // First of all, so it stops last: its line says the server has finished.
        // Then `extra` (the trace exporter), which stops after everything that makes spans.
        services: [LifecycleLog(logger: logger)] + extra + [services.storeService].compactMap { $0 }
            + [dispatcher, channels, AttachmentJanitor(attachments: services.attachments, logger: logger, now: now),
               RetentionJanitor(retention: RetentionService(store: services.store, policy: configuration.retention, now: now), logger: logger),
               RealtimeService(hub: hub, feed: services.store.eventFeed)],
        onServerRunning: { channel in
            logger.notice("Parley is listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger)
}

/// Makes sure the operator can reach the API: the account key from the environment exists, or,
/// on a database with no account key at all, a new one is made and shown once.
func bootstrapAccountKey(_ keys: KeyService, configuration: ServerConfiguration, announce: @Sendable (String) -> Void) async throws {
    if let accountKey = configuration.accountKey {
        do {
            try await keys.ensureAccountKey(id: accountKey.id, secret: accountKey.secret)
        } catch let error as ParleyError {
            throw ConfigurationError("PARLEY_ACCOUNT_KEY_ID/PARLEY_ACCOUNT_KEY_SECRET: \(error.title)")
        }
    } else if try await !keys.hasAccountKey() {
        let issued = try await keys.createAccountKey()
        announce("""
            Created an account key (shown only this once; keep the secret safe):
              id:     \(issued.key.id)
              secret: \(issued.secret)
            """)
    }
}

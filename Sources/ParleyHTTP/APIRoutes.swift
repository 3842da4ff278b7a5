import Hummingbird
import ParleyDomain
import ParleyWire

/// Builds the router for the whole API: error rendering first, then every controller, then the
/// 501/405 fill-in for the rest of the spec's surface. `inbox` takes channel providers' calls
/// (none are served without one); `publicBaseURL` (`PARLEY_PUBLIC_URL`) is the base of absolute
/// links and of the URLs providers sign, else the request's `Host`.
///
/// `sessions`: the messenger's and the inbox's session tokens; without them neither is served.
/// `rateLimit` (`PARLEY_RATE_LIMIT`): the v2 API's calls, per key and per app; none when nil.
/// `backups`: the store `GET /admin/backup` copies (SQLite's); nil answers 501 there.
/// `metrics`: where each request is counted and timed; `metricsEndpoint`: what `GET /metrics`
/// serves (no such route without it).
public func buildRouter(
    _ services: DomainServices, inbox: (any ChannelInbox)? = nil, publicBaseURL: String? = nil, sessions: SessionTokens? = nil,
    rateLimit: RateLimit? = nil, backups: (any BackupStore)? = nil, metrics: RequestMetrics = RequestMetrics(),
    metricsEndpoint: MetricsEndpoint? = nil, now: @escaping @Sendable () -> Timestamp = { .now() }
) -> APIRouter {
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
    if let metricsEndpoint { MetricsController(endpoint: metricsEndpoint).register(on: router) }

    let authenticator = Authenticator(keys: services.keys, sessions: sessions, now: now)
    let api = APIRouterBuilder(
        router: router, authenticator: authenticator, apps: services.apps, idempotency: services.idempotency, rateLimiter: rateLimit.map { RateLimiter(limit: $0, now: now) })
    AppsController(apps: services.apps, publicBaseURL: publicBaseURL).register(on: api)
    AppKeysController(keys: services.keys).register(on: api)
    UsersController(users: services.users).register(on: api)
    ConversationsController(conversations: services.conversations, publicBaseURL: publicBaseURL).register(on: api)
    MessagesController(messages: services.messages, publicBaseURL: publicBaseURL).register(on: api)
    IntegrationsController(integrations: services.integrations, webhooks: services.webhooks, publicBaseURL: publicBaseURL).register(on: api)
    IntegrationKeysController(integrations: services.integrations, keys: services.keys).register(on: api)
    WebhooksController(integrations: services.integrations, webhooks: services.webhooks).register(on: api)
    DeliveriesController(integrations: services.integrations, webhooks: services.webhooks).register(on: api)
    ClientsController(clients: services.clients, publicBaseURL: publicBaseURL).register(on: api)
    SwitchboardsController(switchboards: services.switchboards).register(on: api)
    SwitchboardActionsController(switchboards: services.switchboards).register(on: api)
    AttachmentsController(attachments: services.attachments, publicBaseURL: publicBaseURL).register(on: api, router: router)
    ChannelOperationsController(operations: services.channelOperations).register(on: api)
    if let inbox { InboundController(inbox: inbox, publicBaseURL: publicBaseURL).register(on: router) }
    BackupController(store: backups, authenticator: authenticator).register(on: router)
    ExportController(export: services.export, authenticator: authenticator).register(on: router)
    if let sessions {
        MessengerController(
            messenger: services.messenger, attachments: services.attachments, authenticator: authenticator, sessions: sessions,
            publicBaseURL: publicBaseURL, now: now
        ).register(on: router)
        InboxController(inbox: services.inbox, authenticator: authenticator, sessions: sessions, now: now).register(on: router)
        OAuthController(oauth: services.oauth, authenticator: authenticator, sessions: sessions, now: now).register(on: api, router: router)
    }
    OAuthClientsController(oauth: services.oauth, authenticator: authenticator).register(on: router)
    api.finish()
    return APIRouter(router: router, operations: api.operations, metrics: metrics)
}

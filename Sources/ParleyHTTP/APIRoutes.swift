import Hummingbird
import ParleyDomain

/// The services the HTTP API needs, assembled by the server's composition root.
public struct APIServices: Sendable {
    public var apps: AppService
    public var keys: KeyService
    public var users: UserService
    public var conversations: ConversationService
    public var messages: MessageService
    public var integrations: IntegrationService
    public var webhooks: WebhookService
    public var clients: ClientService
    /// Channel providers' calls (Mailgun's inbound mail and event webhooks); nil serves none.
    public var inbox: (any ChannelInbox)?
    /// Base for absolute `links` (e.g. `https://parley.example.com`); nil derives it from `Host`.
    public var publicBaseURL: String?

    public init(
        apps: AppService, keys: KeyService, users: UserService, conversations: ConversationService, messages: MessageService,
        integrations: IntegrationService, webhooks: WebhookService, clients: ClientService, inbox: (any ChannelInbox)? = nil,
        publicBaseURL: String? = nil
    ) {
        self.inbox = inbox
        self.apps = apps
        self.keys = keys
        self.users = users
        self.conversations = conversations
        self.messages = messages
        self.integrations = integrations
        self.webhooks = webhooks
        self.clients = clients
        self.publicBaseURL = publicBaseURL
    }
}

/// Builds the router for the whole API: error rendering first, then every controller, then the
/// 501/405 fill-in for the rest of the spec's surface.
public func buildRouter(_ services: APIServices) -> APIRouter {
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }

    let api = APIRouterBuilder(router: router, authenticator: Authenticator(keys: services.keys), apps: services.apps)
    AppsController(apps: services.apps, publicBaseURL: services.publicBaseURL).register(on: api)
    AppKeysController(keys: services.keys).register(on: api)
    UsersController(users: services.users).register(on: api)
    ConversationsController(conversations: services.conversations, publicBaseURL: services.publicBaseURL).register(on: api)
    MessagesController(messages: services.messages, publicBaseURL: services.publicBaseURL).register(on: api)
    IntegrationsController(integrations: services.integrations, webhooks: services.webhooks, publicBaseURL: services.publicBaseURL).register(on: api)
    IntegrationKeysController(integrations: services.integrations, keys: services.keys).register(on: api)
    WebhooksController(integrations: services.integrations, webhooks: services.webhooks).register(on: api)
    DeliveriesController(integrations: services.integrations, webhooks: services.webhooks).register(on: api)
    ClientsController(clients: services.clients, publicBaseURL: services.publicBaseURL).register(on: api)
    if let inbox = services.inbox { InboundController(inbox: inbox).register(on: router) }
    api.finish()
    return APIRouter(router: router, operations: api.operations)
}

import Hummingbird
import ParleyDomain
import ParleyWire

/// Builds the router for the whole API: error rendering first, then every controller, then the
/// 501/405 fill-in for the rest of the spec's surface. `inbox` takes channel providers' calls
/// (none are served without one); `publicBaseURL` (`PARLEY_PUBLIC_URL`) is the base of absolute
/// links and of the URLs providers sign, else the request's `Host`.
public func buildRouter(_ services: DomainServices, inbox: (any ChannelInbox)? = nil, publicBaseURL: String? = nil) -> APIRouter {
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }

    let api = APIRouterBuilder(router: router, authenticator: Authenticator(keys: services.keys), apps: services.apps)
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
    if let inbox { InboundController(inbox: inbox, publicBaseURL: publicBaseURL).register(on: router) }
    api.finish()
    return APIRouter(router: router, operations: api.operations)
}

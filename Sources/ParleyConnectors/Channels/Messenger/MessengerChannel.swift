import ParleyDomain

/// Facebook Messenger through a Facebook page: out by the Send API, in by the Meta app's webhook
/// at `…/inbound/webhook` (its subscription handshake answered with the integration's generated
/// `webhookVerifyToken`, its calls signed with the app secret). Shares `MessengerPlatform` and its
/// Graph API setting with Instagram.
struct MessengerChannel: Channel {
    let type = "messenger"

    var api: ChannelAPI { MessengerPlatform.api }

    let integrationFields: [IntegrationField] = [
        .field("pageAccessToken", .string(), .secret, required: true, updatable: true, nullable: true),
        .field("appId", .string(), required: true),
        .field("appSecret", .string(), .secret, required: true, nullable: true),
        .field("pageId", .number, .serverSet),
        .field("pageName", .string(), .serverSet),
        MetaWebhook.verifyTokenField,
    ]

    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        throw MessengerPlatform.messenger.refuseLinking()
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        MessengerConnector(platform: .messenger, environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]
    let readableEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await MessengerInbox(platform: .messenger, services: services).receive(request, integration: integration, secrets: secrets)
    }

    /// The page's token must be one Graph takes (`GET me?fields=id,name` names the page:
    /// `pageId`, `pageName`); the app is then subscribed to the page's messaging webhooks.
    func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue] {
        guard let token = secrets["pageAccessToken"] else { return [:] }
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        let page = try await MessengerPlatform.messenger.page(graph, query: "fields=id,name")
        guard let id = page.text("id"), let number = Int64(id) else {
            throw ParleyError.badRequest("Meta named no page for the pageAccessToken: is it a page's token?")
        }
        try await MessengerPlatform.messenger.subscribe(graph, pageId: id)
        var settings: [String: JSONValue] = ["pageId": .integer(number)]
        if let name = page.text("name") { settings["pageName"] = .string(name) }
        return settings
    }

    /// Meta attributes Messenger conversions to the page and the user's page-scoped id (the
    /// client's `externalId`), in the page's dataset.
    func forwardConversionEvents(
        _ payload: [String: JSONValue], client: Client, integration: Integration, secrets: [String: String], environment: ChannelEnvironment
    ) async throws -> ConversionEventsReceipt {
        let pageId: String? = switch integration.settings["pageId"] {
        case .integer(let id)?: String(id)
        case .string(let id)?: id
        default: nil
        }
        guard let pageId, let token = secrets["pageAccessToken"] else {
            throw ParleyError.badRequest("The messenger integration has no page: give it a pageAccessToken first")
        }
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        return try await MetaConversions(graph: graph, messagingChannel: "messenger").forward(
            payload, account: pageId, userData: ["page_id": .string(pageId), "page_scoped_user_id": .string(client.externalId)])
    }
}

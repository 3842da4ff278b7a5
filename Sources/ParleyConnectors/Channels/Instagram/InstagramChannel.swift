import ParleyDomain

/// Instagram Direct through the Facebook page linked to an Instagram business account. Meta runs
/// it on the Messenger Platform: the same Send API, webhook format and Graph API setting as
/// Messenger (`MessengerPlatform.instagram`), with Instagram's own fields (the account's names
/// and ids, the story toggles) and its narrower set of attachments.
struct InstagramChannel: Channel {
    let type = "instagram"

    var api: ChannelAPI { MessengerPlatform.api }

    let integrationFields: [IntegrationField] = [
        .field("pageAccessToken", .string(), .secret, required: true, updatable: true, nullable: true),
        .field("appId", .string(), required: true),
        .field("appSecret", .string(), .secret, required: true, nullable: true),
        .field("storyRepliesEnabled", .bool, updatable: true, default: .bool(true)),
        .field("storyMentionsEnabled", .bool, updatable: true, default: .bool(true)),
    ] + ["businessName", "businessUsername", "pageId", "businessId", "username", "userId"].map { .field($0, .string(), .serverSet) }
        + [MetaWebhook.verifyTokenField]

    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        throw MessengerPlatform.instagram.refuseLinking()
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        MessengerConnector(platform: .instagram, environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]
    let readableEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await MessengerInbox(platform: .instagram, services: services).receive(request, integration: integration, secrets: secrets)
    }

    /// The page's token must be one Graph takes, and its page linked to an Instagram business
    /// account: `GET me?fields=id,name,instagram_business_account{id,username,name}` fills
    /// `pageId`, `businessId`, `businessUsername` and `businessName`; the app is then subscribed
    /// to the page's messaging webhooks. (`username` and `userId`, the Facebook user of a
    /// dashboard setup, stay unset.)
    func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue] {
        guard let token = secrets["pageAccessToken"] else { return [:] }
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        let page = try await MessengerPlatform.instagram.page(graph, query: "fields=id,name,instagram_business_account%7Bid,username,name%7D")
        guard let pageId = page.text("id"), case .object(let account)? = page.object["instagram_business_account"],
            let businessId = JSONValue.text(account["id"])
        else {
            throw ParleyError.badRequest("The pageAccessToken's page has no Instagram business account linked to it")
        }
        try await MessengerPlatform.instagram.subscribe(graph, pageId: pageId)
        var settings: [String: JSONValue] = ["pageId": .string(pageId), "businessId": .string(businessId)]
        if let username = JSONValue.text(account["username"]) { settings["businessUsername"] = .string(username) }
        if let name = JSONValue.text(account["name"]) { settings["businessName"] = .string(name) }
        return settings
    }
}

/// The spec's three channel-specific operations, decided for a self-hosted server
/// (docs/DECISIONS.md "Channel-specific operations"):
/// - PostConversionEvents forwards to the channel of the conversation's user that the body names,
///   through that channel (Messenger today);
/// - DownloadMessageRef fetches Apple Messages for Business data: Parley carries no Apple channel,
///   so no user has an Apple client, which is what the answer says;
/// - SyncUser synchronises a user with its Zendesk Support counterpart: Parley has no Zendesk
///   Support directory, so no user has a `zendeskId` to synchronise.
public struct ChannelOperationsService: Sendable {
    /// The types PostConversionEvents' body may name (`conversionEventsBody`'s oneOf).
    public static let conversionChannels = ["messenger", "instagram", "whatsapp"]

    private let store: any ParleyStore
    private let conversations: ConversationService
    private let integrations: IntegrationService
    private let forwarder: (any ConversionEventsForwarder)?

    public init(
        store: any ParleyStore, conversations: ConversationService, integrations: IntegrationService, forwarder: (any ConversionEventsForwarder)?
    ) {
        self.store = store
        self.conversations = conversations
        self.integrations = integrations
        self.forwarder = forwarder
    }

    /// PostConversionEvents: the conversation's participant with a client of `channel` (its primary
    /// one first) is the user the events are about; the channel forwards them.
    public func postConversionEvents(appId: ResourceID, conversationId: String, channel: String, payload: [String: JSONValue]) async throws
        -> ConversionEventsReceipt
    {
        let conversation = try await conversations.get(appId: appId, id: conversationId)
        let participants = try await store.participants(conversationId: conversation.id, page: PageRequest(size: PageRequest.sizeRange.upperBound))
        let association = participants.items.lazy.flatMap(\.clientAssociations).first { $0.type == channel }
        guard let association, let clientId = ResourceID(association.clientId), let client = try await store.client(id: clientId),
            client.appId == appId
        else {
            throw ParleyError.badRequest("No participant of this conversation has a \(channel) client to attribute the events to")
        }
        guard client.status == .active else {
            throw ParleyError.badRequest("The participant's \(channel) client is \(client.status.rawValue), not active")
        }
        let integration = try await integrations.get(appId: appId, id: client.integrationId.rawValue)
        guard let forwarder else { throw ParleyError.badRequest("This server forwards no conversion events") }
        return try await forwarder.forwardConversionEvents(
            payload, client: client, integration: integration, secrets: try integrations.secrets(of: integration))
    }

    /// DownloadMessageRef: the conversation and the user must exist; the reference can only be an
    /// Apple Messages for Business one, which no Parley user can have sent.
    public func downloadMessageRef(appId: ResourceID, conversationId: String, userId: String) async throws -> Never {
        _ = try await conversations.get(appId: appId, id: conversationId)
        guard let user = try await store.user(UserLookup(appId: appId, idOrExternalId: userId)) else { throw ParleyError.notFound(.user) }
        throw ParleyError.badRequest(
            "DownloadMessageRef fetches Apple Messages for Business data, and user \(user.id) has no apple client: Parley carries no Apple Messages for Business channel")
    }

    /// SyncUser: no Parley user is linked to a Zendesk Support user, so none is found.
    public func syncUser(appId: ResourceID, zendeskId: String) async throws -> Never {
        throw ParleyError(
            kind: .notFound, code: "user_not_found",
            title: "No user of this app has zendeskId \(zendeskId): Parley has no Zendesk Support users to synchronise with")
    }
}

/// Clients and channel linking: CreateClient, ListClients, RemoveClient, ListDevices, GetDevice,
/// and what a channel job's outcome does to its client (called by the channel dispatcher).
public struct ClientService: Sendable {
    /// Channel types CreateClient can link, and how each names the user on the channel.
    static let linkableTypes = ["mailgun", "messagebird", "twilio", "whatsapp"]

    private let store: any ClientStore & UserStore & ConversationStore & IntegrationStore & AppStore
    private let conversations: ConversationService
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any ClientStore & UserStore & ConversationStore & IntegrationStore & AppStore, conversations: ConversationService,
        ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.conversations = conversations
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    /// CreateClient: validates the whole body before anything is written, then stores the pending
    /// client, its confirmation job, the `client:add` event and (for an sdkGroup target the user is
    /// not in) the user's participation, in one transaction.
    public func create(_ lookup: UserLookup, _ body: JSONValue) async throws -> Client {
        let user = try await user(lookup)
        var reader = try JSONReader(body, path: "")
        var criteria = try reader.object("matchCriteria", required: true)!
        var confirmation = try reader.object("confirmation", required: true)!
        var target = try reader.object("target", required: true)!

        guard let type = try criteria.string("type", required: true), Self.linkableTypes.contains(type) else {
            throw ParleyError.badRequest("matchCriteria.type must be one of \(Self.linkableTypes.joined(separator: ", "))")
        }
        let integrationText = try criteria.string("integrationId", required: true)!
        let primary = try criteria.bool("primary") ?? true
        let externalId: String
        var subject: String?
        if type == "mailgun" {
            externalId = try criteria.string("address", required: true)!
            try Rules.email(externalId, field: "matchCriteria.address")
            subject = try criteria.string("subject", length: 1...998) ?? "New message from {appName}"
        } else {
            let number = try criteria.string("phoneNumber", required: true)!
            externalId = try PhoneNumber.normalized(number, field: "matchCriteria.phoneNumber")
        }

        let confirmationType = try confirmation.oneOf("type", ["immediate", "userActivity", "prompt"], required: true)!
        // Optional ("if desired"): without one the job sends nothing and only completes the link.
        let message = try confirmation.object("message").map(Self.confirmationMessage) ?? [:]
        let conversationText = try target.string("conversationId", required: true)!

        guard let integrationId = ResourceID(integrationText),
            let integration = try await store.integration(appId: lookup.appId, id: integrationId)
        else { throw ParleyError.notFound(.integration) }
        guard integration.type == type else {
            throw ParleyError.badRequest("matchCriteria.integrationId names a \(integration.type) integration, not \(type)")
        }
        let conversation = try await conversations.get(appId: lookup.appId, id: conversationText)
        var participant: Participant?
        if try await store.participant(conversationId: conversation.id, userId: user.id) == nil {
            guard conversation.type == .sdkGroup else {
                throw ParleyError.badRequest("target.conversationId: user \(user.id) is not a participant of personal conversation \(conversation.id)")
            }
            participant = Participant(id: ids.next(), conversationId: conversation.id, userId: user.id, userExternalId: user.externalId)
        }
        guard let app = try await store.app(id: lookup.appId) else { throw ParleyError.notFound(.app) }

        let client = Client(
            id: ids.next(), appId: lookup.appId, userId: user.id, type: type, integrationId: integration.id, externalId: externalId,
            conversationId: conversation.id, primary: primary)
        var payload = message
        payload["to"] = externalId
        if let subject { payload["subject"] = subject.replacingOccurrences(of: "{appName}", with: app.displayName) }
        let job = ChannelJob(
            id: ids.next(), appId: lookup.appId, integrationId: integration.id, clientId: client.id,
            activatesClient: confirmationType == "immediate", payload: payload)
        var created = [events.clientAdded(client, user: user, conversation: conversation)]
        if let participant {
            created.insert(events.participantChanged("conversation:join", conversation: conversation, userId: user.id, userExternalId: user.externalId), at: 0)
            try await store.insertClient(client, job: job, participant: participant, events: created)
        } else {
            try await store.insertClient(client, job: job, participant: nil, events: created)
        }
        return client
    }

    public func list(_ lookup: UserLookup, page: PageRequest) async throws -> Page<Client> {
        let user = try await user(lookup)
        return try await store.clients(userId: user.id, page: page)
    }

    /// RemoveClient. Parley has no `sdk` clients, which the API refuses to remove (400).
    public func remove(_ lookup: UserLookup, clientId: String) async throws {
        let user = try await user(lookup)
        guard let id = ResourceID(clientId), let client = try await store.client(id: id), client.userId == user.id else {
            throw ParleyError.notFound(.client)
        }
        if client.type == "sdk" { throw ParleyError.badRequest("sdk clients cannot be removed") }
        let conversation = try await conversation(of: client)
        let events = self.events
        guard try await store.deleteClient(id: client.id, events: { removed in
            [events.clientRemoved(removed, user: user, conversation: conversation, reason: "api")]
        }) else { throw ParleyError.notFound(.client) }
    }

    /// ListDevices: devices belong to SDK clients, which Parley does not have, so an existing user has none.
    public func devices(_ lookup: UserLookup) async throws -> [JSONValue] {
        _ = try await user(lookup)
        return []
    }

    /// GetDevice: always 404 `device_not_found` for an existing user (see `devices`).
    public func device(_ lookup: UserLookup, deviceId: String) async throws -> JSONValue {
        _ = try await user(lookup)
        throw ParleyError.notFound(.device)
    }

    /// Applies a channel job's outcome: delivered `immediate` confirmations activate the client;
    /// a final failure removes the pending client with the error. The job keeps its record.
    public func finish(_ job: ChannelJob, outcome: DeliveryOutcome) async throws {
        let effect: ChannelJobEffect
        switch outcome.state {
        case .delivered: effect = job.activatesClient ? .activate(at: outcome.at) : .unchanged
        case .pending: effect = .unchanged
        case .dead: effect = .remove
        }
        var user: User?
        var conversation: Conversation?
        if effect != .unchanged, let client = try await store.client(id: job.clientId) {
            user = try await store.user(UserLookup(appId: job.appId, idOrExternalId: client.userId.rawValue))
            conversation = try await self.conversation(of: client)
        }
        let events = self.events
        let (foundUser, foundConversation) = (user, conversation)
        try await store.recordChannelJob(job, outcome: outcome, effect: effect) { client in
            guard let user = foundUser else { return [] }
            switch effect {
            case .activate: return [events.clientConfirmed(client, user: user, conversation: foundConversation)]
            case .remove:
                return [events.clientRemoved(
                    client, user: user, conversation: foundConversation, reason: "linkFailed", error: outcome.error ?? "The channel refused the message")]
            case .unchanged: return []
            }
        }
    }

    private func conversation(of client: Client) async throws -> Conversation? {
        guard let id = client.conversationId else { return nil }
        return try await store.conversation(appId: client.appId, id: id)
    }

    private func user(_ lookup: UserLookup) async throws -> User {
        guard let user = try await store.user(lookup) else { throw ParleyError.notFound(.user) }
        return user
    }

    /// `confirmation.message`: a messagePost limited to text or image content whose actions are
    /// all links, from a business author (the confirmation is sent to the user, never by them).
    static func confirmationMessage(_ reader: JSONReader) throws -> [String: String] {
        var message = reader
        let path = "confirmation.message"
        var author = try message.object("author", required: true)!
        guard try author.string("type", required: true) == "business" else {
            throw ParleyError.badRequest("\(path).author.type must be business")
        }
        _ = try author.string("displayName", length: 1...255)
        _ = try author.uri("avatarUrl")
        guard let contentValue = message.object["content"], contentValue != .null else {
            throw ParleyError.badRequest("\(path).content is required")
        }
        guard case .object(let raw) = contentValue, case .string(let type)? = raw["type"], ["text", "image"].contains(type) else {
            throw ParleyError.badRequest("\(path).content.type must be text or image")
        }
        if case .array(let actions)? = raw["actions"] {
            for (index, action) in actions.enumerated() {
                guard case .object(let fields) = action, fields["type"] == .string("link") else {
                    throw ParleyError.badRequest("\(path).content.actions[\(index)].type must be link")
                }
            }
        }
        let content: JSONValue
        do {
            content = try ContentRules.validate(contentValue, schema: nil)
        } catch let error as ParleyError where error.kind == .badRequest {
            throw ParleyError.badRequest("\(path).\(error.title)")
        }
        _ = try message.metadata("metadata")
        guard case .object(let fields) = content else { return [:] }
        var payload: [String: String] = [:]
        for key in ["text", "htmlText", "mediaUrl", "altText"] {
            if case .string(let value)? = fields[key] { payload[key] = value }
        }
        return payload
    }
}

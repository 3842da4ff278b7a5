/// Messages and activity: PostMessage, ListMessages, DeleteMessage, DeleteAllMessages, PostActivity.
public struct MessageService: Sendable {
    /// "Message limit of 30000 per conversation", configurable so tests need not write 30,000.
    public static let defaultMessageLimit = 30_000
    /// ListMessages' fixed page size.
    public static let pageSize = 100

    private let store: any MessageStore & ConversationStore & UserStore & ClientStore & IntegrationStore & EventStore & AttachmentStore
    private let conversations: ConversationService
    private let ids: ResourceIDGenerator
    private let messageLimit: Int
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any MessageStore & ConversationStore & UserStore & ClientStore & IntegrationStore & EventStore & AttachmentStore, conversations: ConversationService, ids: ResourceIDGenerator,
        messageLimit: Int = MessageService.defaultMessageLimit, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.conversations = conversations
        self.ids = ids
        self.messageLimit = messageLimit
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    /// PostMessage; the web messenger posts through here too, as its user, with its `source`.
    public func post(appId: ResourceID, conversationId: String, _ draft: MessageDraft, source: MessageSource = .api) async throws -> [Message] {
        // Its identity only: the write reads the rest, current, in its own transaction.
        let conversation = try await conversations.identity(appId: appId, id: conversationId)
        guard let authorValue = draft.author else { throw ParleyError.badRequest("author is required") }
        guard let contentValue = draft.content else { throw ParleyError.badRequest("content is required") }
        if let schema = draft.schema, schema != "whatsapp" {
            throw ParleyError.badRequest("schema must be whatsapp")
        }
        let (author, authorUser) = try await resolveAuthor(authorValue, conversation: conversation, appId: appId)
        let (content, attachments) = try await MessageMedia.resolve(
            try ContentRules.validate(contentValue, schema: draft.schema, sender: source == .api ? .api : .messengerUser), appId: appId, store: store)
        let metadata = try draft.metadata.flatMap { value -> Metadata? in
            if value == .null { return nil }
            guard case .object(let values) = value else { throw ParleyError.badRequest("metadata must be an object") }
            return try Metadata.validated(values)
        }
        let destination = try draft.destination.flatMap { try Self.destination($0, author: author, conversation: conversation) }
        if case .object(let fields)? = destination, case .string(let text)? = fields["integrationId"] {
            // The spec: "Will return an error if the integration does not exist". Another app's
            // integration does not exist for this one.
            guard let id = ResourceID(text), try await store.integration(appId: appId, id: id) != nil else {
                throw ParleyError.badRequest("destination.integrationId must be an integration of this app")
            }
        }
        let override = try draft.override.flatMap(Self.override)
        let message = Message(
            id: ids.next(), conversationId: conversation.id, received: now(), author: author, content: content,
            source: source, metadata: metadata, destination: destination, override: override, attachments: attachments)
        let ids = self.ids
        let jobs: (@Sendable ([Client]) -> [ChannelJob])? =
            author.type == .business ? { @Sendable clients in Self.channelJobs(for: message, appId: appId, clients: clients, ids: ids) } : nil
        let events = self.events
        guard let stored = try await store.appendMessage(message, limit: messageLimit, channelJobs: jobs, events: { stored, current in
            [events.messagePosted(stored, conversation: current, user: authorUser)]
        }) else {
            conversations.forget(conversation.id)
            throw ParleyError.notFound(.conversation)
        }
        return [stored]
    }

    /// Stores a message a user sent through a channel, already read into a `Message` by the
    /// channel's inbound handler. A repeat of a stored `externalKey` is 409 `conflict`.
    public func receive(_ message: Message, user: User) async throws -> Message {
        let events = self.events
        guard let stored = try await store.appendMessage(message, limit: messageLimit, channelJobs: nil, events: { stored, conversation in
            [events.messagePosted(stored, conversation: conversation, user: user)]
        }) else {
            throw ParleyError.notFound(.conversation)
        }
        return stored
    }

    /// Where a business message goes beyond the API: for each participant with active channel
    /// clients linked for this conversation, the primary one (else the newest), queued in the
    /// message's transaction (which reads `clients`). `destination` narrows the choice to one
    /// integration or channel type (`integrationType: "none"` to nothing).
    private static func channelJobs(for message: Message, appId: ResourceID, clients: [Client], ids: ResourceIDGenerator) -> [ChannelJob] {
        // An `sdk` client's devices read the conversation themselves, through realtime.
        var clients = clients.filter { $0.type != Client.sdkType }
        if case .object(let destination)? = message.destination {
            if case .string(let id)? = destination["integrationId"] { clients.removeAll { $0.integrationId.rawValue != id } }
            if case .string(let type)? = destination["integrationType"] { clients.removeAll { $0.type != type } }
        }
        var chosen: [ResourceID: Client] = [:]
        for client in clients {
            if let current = chosen[client.userId], current.primary, !client.primary { continue }
            chosen[client.userId] = client
        }
        let payload = ChannelPayload.of(message.content)
        return chosen.values.sorted { $0.id < $1.id }.map { client in
            var fields = payload
            fields["to"] = client.externalId
            if let subject = client.subject { fields["subject"] = subject }
            return ChannelJob(
                id: ids.next(), appId: appId, integrationId: client.integrationId, clientId: client.id, activatesClient: false,
                payload: fields, messageId: message.id, conversationId: message.conversationId)
        }
    }

    public func list(appId: ResourceID, conversationId: String, cursor: PageRequest.Cursor) async throws -> Page<Message> {
        let conversation = try await conversations.get(appId: appId, id: conversationId)
        return try await store.messages(conversationId: conversation.id, page: PageRequest(cursor: cursor, size: Self.pageSize))
    }

    public func delete(appId: ResourceID, conversationId: String, messageId: String) async throws {
        let conversation = try await conversations.get(appId: appId, id: conversationId)
        guard let id = ResourceID(messageId), try await store.deleteMessage(conversationId: conversation.id, id: id) else {
            throw ParleyError(kind: .notFound, code: "not_found", title: "Message not found")
        }
    }

    public func deleteAll(appId: ResourceID, conversationId: String) async throws {
        let conversation = try await conversations.get(appId: appId, id: conversationId)
        try await store.deleteAllMessages(conversationId: conversation.id)
    }

    /// PostActivity. A user may only mark the conversation read; the business may also type.
    /// Reads change state (unread count, `lastRead`, `businessLastRead`); typing is only an event.
    public func activity(appId: ResourceID, conversationId: String, author authorValue: JSONValue?, type: String?) async throws {
        let conversation = try await conversations.get(appId: appId, id: conversationId)
        guard let authorValue else { throw ParleyError.badRequest("author is required") }
        guard let type, let activity = ActivityType(rawValue: type) else {
            throw ParleyError.badRequest("type must be one of conversation:read, typing:start, typing:stop")
        }
        let (author, user) = try await resolveAuthor(authorValue, conversation: conversation.identity, appId: appId)
        switch (author.type, activity, user) {
        case (.user, .conversationRead, let user?):
            // conversation:read tells the business that a user read; a business read changes
            // state and causes no event.
            try await store.markRead(
                conversationId: conversation.id, userId: user.id, at: now(),
                events: [events.activity(.conversationRead, conversation: conversation, author: author, user: user)])
        case (.user, _, _):
            throw ParleyError.badRequest("A user author can only send conversation:read activity")
        case (.business, .conversationRead, _):
            try await store.markBusinessRead(conversationId: conversation.id, at: now(), events: [])
        case (.business, _, _):
            // Typing changes nothing stored: only the event, for whoever shows it.
            try await store.recordEvents([events.activity(activity, conversation: conversation, author: author, user: nil)])
        }
    }

    /// A user's activity from an SDK (the web messenger): typing as well as reads, with the SDK's
    /// `source`. The caller has checked that the user takes part in the conversation.
    public func userActivity(_ activity: ActivityType, appId: ResourceID, conversationId: ResourceID, user: User, source: MessageSource) async throws {
        let conversation = try await conversations.get(appId: appId, id: conversationId.rawValue)
        let author = MessageAuthor(type: .user, userId: user.id.rawValue, displayName: nil, avatarUrl: nil)
        let event = events.activity(activity, conversation: conversation, author: author, user: user, source: source)
        if activity == .conversationRead {
            try await store.markRead(conversationId: conversation.id, userId: user.id, at: now(), events: [event])
        } else {
            try await store.recordEvents([event])
        }
    }

    /// Validates `author`; a user author must name (by userId or userExternalId) a participant of
    /// the conversation. The stored author carries the user's id; the user is returned too.
    private func resolveAuthor(_ value: JSONValue, conversation: ConversationIdentity, appId: ResourceID) async throws -> (MessageAuthor, User?) {
        var value = value
        // The schema lets these two be null (brandId outright, avatarUrl through its shared `icon`
        // schema); null means "not given".
        if case .object(var fields) = value {
            for key in ["avatarUrl", "brandId"] where fields[key] == .null { fields[key] = nil }
            value = .object(fields)
        }
        var reader = try JSONReader(value, path: "author")
        guard let typeText = try reader.string("type", required: true), let type = MessageAuthor.Kind(rawValue: typeText) else {
            throw ParleyError.badRequest("author.type must be business or user")
        }
        var subtypes: [String]?
        if let values = try reader.array("subtypes", count: 1...1) {
            guard case .string(let subtype) = values[0], ["AI", "activity", "agent", "bot"].contains(subtype) else {
                throw ParleyError.badRequest("author.subtypes must hold one of AI, activity, agent, bot")
            }
            subtypes = [subtype]
        }
        let displayName = try reader.string("displayName")
        let avatarUrl = try reader.uri("avatarUrl")
        let userId = try reader.string("userId")
        let userExternalId = try reader.string("userExternalId")
        let brandId = try reader.string("brandId", length: 1...24)
        switch type {
        case .business:
            if userId != nil || userExternalId != nil {
                throw ParleyError.badRequest("author.userId and author.userExternalId are only for user authors")
            }
            return (MessageAuthor(type: .business, subtypes: subtypes, displayName: displayName, avatarUrl: avatarUrl), nil)
        case .user:
            let reference: ParticipantReference
            switch (userId, userExternalId) {
            case (let id?, nil): reference = .userId(id)
            case (nil, let externalId?): reference = .userExternalId(externalId)
            default: throw ParleyError.badRequest("A user author needs exactly one of author.userId or author.userExternalId")
            }
            let user = try await conversations.resolveUser(appId: appId, reference, brandId: brandId, field: "author")
            guard try await store.participant(conversationId: conversation.id, userId: user.id) != nil else {
                // A remembered identity may outlive its conversation: gone is 404, as before.
                guard try await store.conversation(appId: appId, id: conversation.id) != nil else {
                    conversations.forget(conversation.id)
                    throw ParleyError.notFound(.conversation)
                }
                throw ParleyError.badRequest("author: user \(user.id) is not a participant of conversation \(conversation.id)")
            }
            return (MessageAuthor(type: .user, subtypes: subtypes, userId: user.id.rawValue, displayName: displayName, avatarUrl: avatarUrl), user)
        }
    }

    /// `{integrationId}` or `{integrationType}` (exactly one); only for business messages in
    /// personal conversations. `integrationType: "none"` stores the message without delivery.
    private static func destination(_ value: JSONValue, author: MessageAuthor, conversation: ConversationIdentity) throws -> JSONValue? {
        if value == .null { throw ParleyError.badRequest("destination cannot be null") }
        var reader = try JSONReader(value, path: "destination")
        let integrationId = try reader.string("integrationId")
        let integrationType = try reader.string("integrationType", length: 1...Int.max)
        guard (integrationId == nil) != (integrationType == nil) else {
            throw ParleyError.badRequest("destination needs exactly one of destination.integrationId or destination.integrationType")
        }
        if let integrationId, ResourceID(integrationId) == nil {
            throw ParleyError.badRequest("destination.integrationId must be an integration id")
        }
        guard author.type == .business, conversation.type == .personal else {
            throw ParleyError.badRequest("destination applies only to business messages in personal conversations")
        }
        return reader.output()
    }

    /// `override`: per-channel payloads (`apple`, `line`, `messenger`, `whatsapp`), each
    /// `{payload: object}`; Apple's may list `withCapabilities`.
    private static func override(_ value: JSONValue) throws -> JSONValue? {
        if value == .null { throw ParleyError.badRequest("override cannot be null") }
        var reader = try JSONReader(value, path: "override")
        for channel in ["apple", "line", "messenger", "whatsapp"] {
            if var channelOverride = try reader.object(channel) {
                _ = try channelOverride.object("payload")
                if channel == "apple", let capabilities = try channelOverride.array("withCapabilities") {
                    for (index, capability) in capabilities.enumerated() {
                        guard case .string(let name) = capability, ["LIST", "TIME", "FORM", "QUICK", "AUTH2"].contains(name) else {
                            throw ParleyError.badRequest("override.apple.withCapabilities[\(index)] must be one of LIST, TIME, FORM, QUICK, AUTH2")
                        }
                    }
                }
            }
        }
        return reader.output()
    }
}

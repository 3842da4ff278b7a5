/// What the web messenger does for the person using it (docs/MESSENGER.md): a session per
/// browser, their conversations, and messages, activity and postbacks in their name. Every call
/// after the first names a `WebSession` the HTTP layer has verified; it is checked against the
/// store each time.
public struct MessengerService: Sendable {
    /// The integration type whose messenger Parley serves.
    public static let integrationType = "web"

    private let store: any IntegrationStore & AppStore & UserStore & ClientStore & DeviceStore & ConversationStore & MessageStore & EventStore
    private let users: UserService
    private let conversations: ConversationService
    private let messages: MessageService
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any IntegrationStore & AppStore & UserStore & ClientStore & DeviceStore & ConversationStore & MessageStore & EventStore,
        users: UserService, conversations: ConversationService, messages: MessageService, ids: ResourceIDGenerator,
        now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.users = users
        self.conversations = conversations
        self.messages = messages
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    /// The page's integration and app: 404 unless `integrationId` names a `web` integration.
    public func page(integrationId: String) async throws -> MessengerPage {
        guard let id = ResourceID(integrationId), let appId = try await store.integrationAppId(id: id),
            let integration = try await store.integration(appId: appId, id: id), integration.type == Self.integrationType,
            let app = try await store.app(id: appId)
        else { throw ParleyError.notFound(.integration) }
        return MessengerPage(integration: integration, app: app)
    }

    /// Starts a session on a browser: for the user with `externalId` (from a JWT the HTTP layer
    /// verified), created on first sign-in, else for a new anonymous user. The browser's device is
    /// recorded (or moved) under the user's `sdk` client, made on the user's first session.
    public func startSession(integrationId: String, guid: String, info: JSONValue?, externalId: String?) async throws -> MessengerSession {
        try Rules.length(guid, 8...64, field: "device.guid")
        // "A flat curated object": held to metadata's rules (flat, at most 4 kB).
        var info = info
        switch info {
        case nil, .null?: info = nil
        case .object(let values)?: info = .object(try Metadata.validated(values, field: "device.info").values)
        default: throw ParleyError.badRequest("device.info must be an object")
        }
        let page = try await page(integrationId: integrationId)
        let appId = page.app.id
        let user: User
        if let externalId {
            user = try await signedInUser(appId: appId, externalId: externalId)
        } else {
            user = try await users.create(appId: appId, UserDraft())
        }
        let client = try await sdkClient(of: user, integrationId: page.integration.id)
        let device = try await store.saveDevice(
            Device(id: ids.next(), clientId: client.id, integrationId: page.integration.id, guid: guid, type: .web, info: info, lastSeen: now()))
        return MessengerSession(
            session: WebSession(appId: appId, integrationId: page.integration.id, userId: user.id, clientId: client.id, deviceId: device.id),
            user: user, client: client, device: device)
    }

    /// The session's user, client and device, as they are now: 401 once any is gone (or the
    /// device has moved to another user's client, after a sign-in).
    public func resume(_ session: WebSession) async throws -> MessengerSession {
        guard let user = try await store.user(UserLookup(appId: session.appId, idOrExternalId: session.userId.rawValue)), user.id == session.userId,
            let client = try await store.client(id: session.clientId), client.userId == user.id,
            let device = try await store.device(id: session.deviceId), device.clientId == client.id,
            try await store.integration(appId: session.appId, id: session.integrationId) != nil
        else { throw ParleyError.unauthorized("The session has ended; start a new one") }
        return MessengerSession(session: session, user: user, client: client, device: device)
    }

    /// The user's conversations, most recently active first.
    public func conversations(_ session: WebSession) async throws -> [Conversation] {
        _ = try await resume(session)
        var found: [Conversation] = []
        var cursor = PageRequest.Cursor.first
        while true {
            let page = try await store.conversations(appId: session.appId, userId: session.userId, page: PageRequest(cursor: cursor, size: PageRequest.sizeRange.upperBound))
            found += page.items
            guard page.hasNext, let last = page.items.last else { break }
            cursor = .after(last.id)
        }
        return found.sorted { ($0.lastUpdatedAt ?? $0.createdAt) > ($1.lastUpdatedAt ?? $1.createdAt) }
    }

    /// A personal conversation for the user; refused when they have one and the integration's
    /// `canUserCreateMoreConversations` is not true.
    public func createConversation(_ session: WebSession, displayName: String?) async throws -> Conversation {
        let page = try await page(integrationId: session.integrationId.rawValue)
        let existing = try await conversations(session)
        if !existing.isEmpty, page.integration.settings["canUserCreateMoreConversations"] != .bool(true) {
            throw ParleyError.forbidden("This messenger does not let users start more conversations")
        }
        var draft = ConversationDraft()
        draft.type = .personal
        draft.participants = [.userId(session.userId.rawValue)]
        if let displayName { draft.displayName = .value(displayName) }
        return try await conversations.create(appId: session.appId, draft)
    }

    /// The conversation, if the session's user takes part in it (else 404, as if it did not exist).
    public func conversation(_ session: WebSession, id: String) async throws -> Conversation {
        let conversation = try await conversations.get(appId: session.appId, id: id)
        guard try await store.participant(conversationId: conversation.id, userId: session.userId) != nil else {
            throw ParleyError.notFound(.conversation)
        }
        return conversation
    }

    /// A page of the conversation's messages (the newest, or those before `before`), with the
    /// conversation's latest event number read first: subscribing after it misses nothing the page
    /// does not hold.
    public func messages(_ session: WebSession, conversationId: String, before: String?) async throws -> (page: Page<Message>, seq: Int64) {
        let conversation = try await conversation(session, id: conversationId)
        let seq = try await store.latestConversationSeq(conversationId: conversation.id)
        var cursor = PageRequest.Cursor.first
        if let before {
            guard let id = ResourceID(before) else { throw ParleyError.badRequest("before must be a message id") }
            cursor = .before(id)
        }
        return (try await messages.list(appId: session.appId, conversationId: conversation.id.rawValue, cursor: cursor), seq)
    }

    /// A message from the user, through the messenger.
    public func post(_ session: WebSession, conversationId: String, content: JSONValue?, metadata: JSONValue?) async throws -> [Message] {
        let conversation = try await conversation(session, id: conversationId)
        let draft = MessageDraft(author: .object(["type": .string("user"), "userId": .string(session.userId.rawValue)]), content: content, metadata: metadata)
        return try await messages.post(appId: session.appId, conversationId: conversation.id.rawValue, draft, source: source(session))
    }

    /// `typing:start`, `typing:stop` or `conversation:read` by the user.
    public func activity(_ session: WebSession, conversationId: String, type: String?) async throws {
        let conversation = try await conversation(session, id: conversationId)
        guard let type, let activity = ActivityType(rawValue: type) else {
            throw ParleyError.badRequest("type must be one of conversation:read, typing:start, typing:stop")
        }
        let user = try await resume(session).user
        try await messages.userActivity(activity, appId: session.appId, conversationId: conversation.id, user: user, source: source(session))
    }

    /// The user chose a postback button: `conversation:postback`.
    public func postback(_ session: WebSession, conversationId: String, payload: String?, metadata: JSONValue?) async throws {
        let conversation = try await conversation(session, id: conversationId)
        guard let payload, !payload.isEmpty else { throw ParleyError.badRequest("payload is required") }
        let metadata = try metadata.flatMap { value -> Metadata? in
            if value == .null { return nil }
            guard case .object(let values) = value else { throw ParleyError.badRequest("metadata must be an object") }
            return try Metadata.validated(values)
        }
        let user = try await resume(session).user
        try await store.recordEvents([events.postback(payload: payload, metadata: metadata, conversation: conversation, user: user, source: source(session))])
    }

    private func source(_ session: WebSession) -> MessageSource {
        MessageSource(type: Self.integrationType, integrationId: session.integrationId.rawValue)
    }

    /// The user with this `externalId`, created (authenticated) on their first sign-in.
    private func signedInUser(appId: ResourceID, externalId: String) async throws -> User {
        if let user = try await store.user(UserLookup(appId: appId, idOrExternalId: externalId)), user.externalId == externalId {
            return user
        }
        var draft = UserDraft()
        draft.externalId = externalId
        do {
            return try await users.create(appId: appId, draft)
        } catch let error as ParleyError where error.kind == .conflict {
            // Signed in on two browsers at once: the other made the user.
            guard let user = try await store.user(UserLookup(appId: appId, idOrExternalId: externalId)), user.externalId == externalId else { throw error }
            return user
        }
    }

    /// The user's `sdk` client, made with `client:add` (reason `sdkLogin`) on their first session.
    private func sdkClient(of user: User, integrationId: ResourceID) async throws -> Client {
        var cursor = PageRequest.Cursor.first
        while true {
            let page = try await store.clients(userId: user.id, page: PageRequest(cursor: cursor, size: PageRequest.sizeRange.upperBound))
            if let client = page.items.first(where: { $0.type == Client.sdkType }) { return client }
            guard page.hasNext, let last = page.items.last else { break }
            cursor = .after(last.id)
        }
        let created = now()
        let client = Client(
            id: ids.next(), appId: user.appId, userId: user.id, type: Client.sdkType, status: .active, integrationId: integrationId,
            externalId: user.id.rawValue, linkedAt: created, lastSeen: created, conversationId: nil, primary: false, confirmation: .immediate)
        try await store.insertClient(client, job: nil, participant: nil, events: [events.sdkClientAdded(client, user: user)])
        return client
    }
}

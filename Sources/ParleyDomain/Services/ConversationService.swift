/// Conversations and participants: CreateConversation … DeleteConversation, Join/Leave, ListParticipants.
public struct ConversationService: Sendable {
    private let store: any ConversationStore & UserStore
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp
    /// Shared by every copy of this service (it is a class).
    private let identities = ConversationIdentities()

    public init(store: any ConversationStore & UserStore, ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    public func create(appId: ResourceID, _ draft: ConversationDraft) async throws -> Conversation {
        guard let type = draft.type else { throw ParleyError.badRequest("type is required") }
        switch type {
        case .personal where draft.participants.count != 1:
            throw ParleyError.badRequest("participants must hold exactly one participant for a personal conversation")
        case .sdkGroup where draft.participants.count > Conversation.maximumParticipants:
            throw ParleyError.badRequest("participants can hold at most \(Conversation.maximumParticipants) participants")
        default: break
        }
        let fields = try draft.validatedFields()
        let created = now()
        let conversation = Conversation(
            id: ids.next(), appId: appId, type: type, displayName: fields.displayName.apply(to: nil),
            description: fields.description.apply(to: nil), iconUrl: fields.iconUrl.apply(to: nil),
            metadata: fields.metadata.apply(to: nil), lastUpdatedAt: created, createdAt: created)
        var participants: [Participant] = []
        var users: [User] = []
        for (index, reference) in draft.participants.enumerated() {
            let user = try await resolveUser(appId: appId, reference, field: "participants[\(index)]")
            guard !users.contains(where: { $0.id == user.id }) else { continue }
            users.append(user)
            participants.append(Participant(id: ids.next(), conversationId: conversation.id, userId: user.id, userExternalId: user.externalId))
        }
        let events = self.events
        let firstUser = users.first
        return try await store.insertConversation(conversation, participants: participants) { stored in
            [events.conversationCreated(stored, user: firstUser)]
        }
    }

    public func get(appId: ResourceID, id: String) async throws -> Conversation {
        guard let id = ResourceID(id), let conversation = try await store.conversation(appId: appId, id: id) else {
            throw ParleyError.notFound(.conversation)
        }
        return conversation
    }

    /// The conversation's identity, from memory once it has been read (`ConversationIdentities`);
    /// 404 as `get` when it is not the app's. Only for writes that check the conversation again in
    /// their own transaction, and call `forget` when it turns out to be gone.
    public func identity(appId: ResourceID, id: String) async throws -> ConversationIdentity {
        guard let id = ResourceID(id) else { throw ParleyError.notFound(.conversation) }
        if let known = identities.identity(id) {
            guard known.appId == appId else { throw ParleyError.notFound(.conversation) }
            return known
        }
        guard let conversation = try await store.conversation(appId: appId, id: id) else {
            throw ParleyError.notFound(.conversation)
        }
        identities.remember(conversation.identity)
        return conversation.identity
    }

    /// A write found the conversation gone: stop remembering it.
    public func forget(_ id: ResourceID) {
        identities.forget(id)
    }

    /// How many identities are remembered (for tests).
    public var rememberedIdentities: Int {
        identities.count
    }

    /// ListConversations: exactly one of `filter[userId]` and `filter[userExternalId]`.
    public func list(appId: ResourceID, userId: String?, userExternalId: String?, page: PageRequest) async throws -> Page<Conversation> {
        let reference: ParticipantReference
        switch (userId, userExternalId) {
        case (let id?, nil): reference = .userId(id)
        case (nil, let externalId?): reference = .userExternalId(externalId)
        default: throw ParleyError.badRequest("One of filter[userId] or filter[userExternalId] is required, but not both")
        }
        let user = try await resolveUser(appId: appId, reference, field: "filter")
        return try await store.conversations(appId: appId, userId: user.id, page: page)
    }

    public func update(appId: ResourceID, id: String, _ draft: ConversationDraft) async throws -> Conversation {
        let fields = try draft.validatedFields()
        guard let id = ResourceID(id),
            let updated = try await store.updateConversation(appId: appId, id: id, { conversation in
                conversation.displayName = fields.displayName.apply(to: conversation.displayName)
                conversation.description = fields.description.apply(to: conversation.description)
                conversation.iconUrl = fields.iconUrl.apply(to: conversation.iconUrl)
                conversation.metadata = fields.metadata.apply(to: conversation.metadata)
            })
        else { throw ParleyError.notFound(.conversation) }
        return updated
    }

    public func delete(appId: ResourceID, id: String) async throws {
        let conversation = try await get(appId: appId, id: id)
        // isDefault never changes after creation, so this check cannot race the delete.
        if conversation.isDefault {
            throw ParleyError.badRequest("Conversation \(conversation.id) cannot be deleted because it is the default.")
        }
        defer { identities.forget(conversation.id) }
        guard try await store.deleteConversation(appId: appId, id: conversation.id, events: [events.conversationRemoved(conversation)]) else {
            throw ParleyError.notFound(.conversation)
        }
    }

    public func join(appId: ResourceID, conversationId: String, _ reference: ParticipantReference) async throws -> Participant {
        let conversation = try await get(appId: appId, id: conversationId)
        guard conversation.type == .sdkGroup else {
            throw ParleyError.badRequest("Only sdkGroup conversations can be joined")
        }
        let user = try await resolveUser(appId: appId, reference, field: "body")
        let participant = Participant(id: ids.next(), conversationId: conversation.id, userId: user.id, userExternalId: user.externalId)
        try await store.insertParticipant(
            participant, limit: Conversation.maximumParticipants,
            events: [events.participantChanged(.conversationJoin, conversation: conversation, userId: user.id, userExternalId: user.externalId)])
        return participant
    }

    public func leave(appId: ResourceID, conversationId: String, _ reference: ParticipantReference) async throws {
        let conversation = try await get(appId: appId, id: conversationId)
        let events = self.events
        guard try await store.deleteParticipant(conversationId: conversation.id, appId: appId, reference, events: { participant in
            // The spec's conversation:leave is about sdkGroup conversations.
            guard conversation.type == .sdkGroup else { return [] }
            return [events.participantChanged(.conversationLeave, conversation: conversation, userId: participant.userId, userExternalId: participant.userExternalId)]
        }) else {
            throw ParleyError(kind: .notFound, code: "not_found", title: "User is not a member of the conversation")
        }
    }

    public func participants(appId: ResourceID, conversationId: String, page: PageRequest) async throws -> Page<Participant> {
        let conversation = try await get(appId: appId, id: conversationId)
        return try await store.participants(conversationId: conversation.id, page: page)
    }

    /// The user a body or filter names; 404 `user_not_found` when there is none.
    /// The id must match the user's id and an external id its externalId (within `brandId` when
    /// given): a lookup by one never lands on a user named by the other.
    func resolveUser(appId: ResourceID, _ reference: ParticipantReference, brandId: String? = nil, field: String) async throws -> User {
        let key: String
        switch reference {
        case .userId(let id): key = id
        case .userExternalId(let externalId): key = externalId
        case .participantId: throw ParleyError.badRequest("\(field) must name a user by userId or userExternalId")
        }
        guard let user = try await store.user(UserLookup(appId: appId, idOrExternalId: key, brandId: brandId)) else {
            throw ParleyError.notFound(.user)
        }
        if case .userId = reference, user.id.rawValue != key.lowercased() { throw ParleyError.notFound(.user) }
        if case .userExternalId = reference, user.externalId != key { throw ParleyError.notFound(.user) }
        return user
    }
}

/// Messages users send through channels: matches the sender to a client, confirms pending links
/// (`userActivity` by any message, `prompt` by a yes or no), makes a user, a personal conversation
/// and an active client for a stranger, and stores the message in the right conversation.
public struct InboundService: Sendable {
    private let store: any ClientStore & UserStore & ConversationStore & MessageStore
    private let clients: ClientService
    private let messages: MessageService
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any ClientStore & UserStore & ConversationStore & MessageStore, clients: ClientService, messages: MessageService,
        ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.clients = clients
        self.messages = messages
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    public func receive(_ inbound: InboundMessage) async throws -> InboundOutcome {
        let known = try await store.clients(integrationId: inbound.integrationId, externalId: inbound.sender)
        let pending = known.filter { $0.status == .pending }
        if let prompt = pending.first(where: { $0.confirmation == "prompt" }), let answer = PromptReply.classify(inbound.text) {
            if answer {
                return try await clients.confirm(prompt, at: now()).map(InboundOutcome.linkConfirmed) ?? .duplicate
            }
            try await clients.cancel(prompt, reason: "The user declined the link")
            return .linkCancelled(prompt)
        }
        guard !inbound.text.isEmpty else { return .ignored }

        let client: Client
        if let waiting = pending.first(where: { $0.confirmation == "userActivity" }), let confirmed = try await clients.confirm(waiting, at: now()) {
            // The user wrote from the address: the link is confirmed and the message joins its conversation.
            client = confirmed
        } else if let active = try await chooseActive(known.filter { $0.status == .active }, hint: inbound.conversationHint) {
            client = active
        } else {
            client = try await introduce(inbound)
        }
        guard let user = try await store.user(UserLookup(appId: inbound.appId, idOrExternalId: client.userId.rawValue)) else {
            throw ParleyError.notFound(.user)
        }
        let conversation = try await conversation(for: inbound, client: client, user: user)
        let message = Message(
            id: ids.next(), conversationId: conversation.id, received: now(),
            author: MessageAuthor(type: .user, userId: user.id.rawValue, displayName: inbound.senderName),
            content: .object(["type": .string("text"), "text": .string(inbound.text)]),
            source: MessageSource(type: inbound.channel, integrationId: inbound.integrationId.rawValue, originalMessageId: inbound.originalMessageId),
            externalKey: inbound.originalMessageId.map { "\(inbound.channel):\(inbound.integrationId):\($0)" })
        do {
            return .stored(try await messages.receive(message, user: user))
        } catch let error as ParleyError where error.kind == .conflict {
            return .duplicate
        }
    }

    /// Of the sender's active clients, the one whose user takes part in the conversation replied
    /// to, else the newest.
    private func chooseActive(_ active: [Client], hint: ResourceID?) async throws -> Client? {
        if let hint {
            for client in active where try await store.participant(conversationId: hint, userId: client.userId) != nil {
                var chosen = client
                chosen.conversationId = hint
                return chosen
            }
        }
        return active.first
    }

    /// The conversation the message lands in: the one replied to, else the client's own, else a new
    /// personal conversation (the client's was deleted).
    private func conversation(for inbound: InboundMessage, client: Client, user: User) async throws -> Conversation {
        for candidate in [client.conversationId, inbound.conversationHint].compactMap({ $0 }) {
            if let conversation = try await store.conversation(appId: inbound.appId, id: candidate),
                try await store.participant(conversationId: candidate, userId: user.id) != nil
            {
                return conversation
            }
        }
        return try await newPersonalConversation(for: user, inbound)
    }

    /// A stranger wrote: a user (no externalId, the address as profile email), their personal
    /// conversation and an active client for the address.
    private func introduce(_ inbound: InboundMessage) async throws -> Client {
        var profile = Profile()
        if inbound.channel == "mailgun" { profile.email = inbound.sender }
        if let name = inbound.senderName {
            let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
            profile.givenName = parts.first
            profile.surname = parts.count > 1 ? parts[1] : nil
        }
        let user = User(id: ids.next(), appId: inbound.appId, signedUpAt: now(), profile: profile)
        try await store.insertUser(user)
        let conversation = try await newPersonalConversation(for: user, inbound)
        let subject = inbound.subject.map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: \($0)" }
        let client = Client(
            id: ids.next(), appId: inbound.appId, userId: user.id, type: inbound.channel, status: .active, integrationId: inbound.integrationId,
            externalId: inbound.sender, displayName: inbound.senderName, linkedAt: now(), conversationId: conversation.id, primary: true,
            confirmation: "inbound", subject: subject)
        // No client:add: its reasons (channelLinking, sdkLogin, authCode) do not cover a stranger's
        // first message, which the integrator learns of from conversation:create and conversation:message.
        try await store.insertClient(client, job: nil, participant: nil, events: [])
        return client
    }

    private func newPersonalConversation(for user: User, _ inbound: InboundMessage) async throws -> Conversation {
        let created = now()
        let conversation = Conversation(id: ids.next(), appId: inbound.appId, type: .personal, lastUpdatedAt: created, createdAt: created)
        let participant = Participant(id: ids.next(), conversationId: conversation.id, userId: user.id, userExternalId: user.externalId)
        let events = self.events
        let source = MessageSource(type: inbound.channel, integrationId: inbound.integrationId.rawValue)
        return try await store.insertConversation(conversation, participants: [participant]) { stored in
            [events.conversationCreated(stored, user: user, source: source)]
        }
    }
}

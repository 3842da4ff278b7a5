/// Messages users send through channels: matches the sender to a client, confirms pending links
/// (`userActivity` by any message, `prompt` by a yes or no), makes a user, a personal conversation
/// and an active client for a stranger, and stores the message in the right conversation.
public struct InboundService: Sendable {
    private let store: any ClientStore & UserStore & ConversationStore & MessageStore & EventStore
    private let clients: ClientService
    private let messages: MessageService
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any ClientStore & UserStore & ConversationStore & MessageStore & EventStore, clients: ClientService, messages: MessageService,
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
        var known = try await store.clients(integrationId: inbound.integrationId, externalId: inbound.sender)
        if let consent = inbound.consent {
            // The keyword is the user's word to the channel: it blocks (or unblocks) their clients on
            // the address, and is then kept like any message where they have a conversation.
            let changed = try await clients.consent(consent, clients: known)
            known = known.compactMap { client in
                if let updated = changed.first(where: { $0.id == client.id }) { return updated }
                return consent == .optOut && client.status == .pending ? nil : client
            }
            if consent == .optOut, !known.contains(where: { $0.status == .blocked }) { return .ignored }
        }
        let pending = known.filter { $0.status == .pending }
        if let prompt = pending.first(where: { $0.confirmation == .prompt }), let answer = PromptReply.classify(inbound.text) {
            if answer {
                return try await clients.confirm(prompt, at: now()).map(InboundOutcome.linkConfirmed) ?? .duplicate
            }
            try await clients.cancel(prompt, reason: "The user declined the link")
            return .linkCancelled(prompt)
        }
        let contents = Self.contents(of: inbound)
        guard !contents.isEmpty || inbound.signal != nil else { return .ignored }

        let client: Client
        if let waiting = pending.first(where: { $0.confirmation == .userActivity }), let confirmed = try await clients.confirm(waiting, at: now()) {
            // The user wrote from the address: the link is confirmed and the message joins its conversation.
            client = confirmed
        } else if let linked = try await chooseLinked(known.filter { $0.status == .active || $0.status == .blocked }, hint: inbound.conversationHint) {
            // A blocked client's user is still that user: what they write lands in their conversation.
            client = linked
        } else {
            client = try await introduce(inbound)
        }
        guard let user = try await store.user(UserLookup(appId: inbound.appId, idOrExternalId: client.userId.rawValue)) else {
            throw ParleyError.notFound(.user)
        }
        let conversation = try await conversation(for: inbound, client: client, user: user)
        if let signal = inbound.signal { try await record(signal, of: inbound, user: user, conversation: conversation) }
        if contents.isEmpty { return .signalled }
        var first: Message?
        for (index, (content, attachments)) in contents.enumerated() {
            // One message per picture or file, as the API shows them; each keyed apart so a
            // provider's retry of the whole is stored once.
            let key = inbound.originalMessageId.map { "\(inbound.channel):\(inbound.integrationId):\($0)" + (index == 0 ? "" : "#\(index)") }
            let message = Message(
                id: ids.next(), conversationId: conversation.id, received: now(),
                author: MessageAuthor(type: .user, userId: user.id.rawValue, displayName: inbound.senderName), content: content,
                source: MessageSource(type: inbound.channel, integrationId: inbound.integrationId.rawValue, originalMessageId: inbound.originalMessageId),
                externalKey: key, attachments: attachments)
            do {
                let stored = try await messages.receive(message, user: user)
                first = first ?? stored
            } catch let error as ParleyError where error.kind == .conflict {
                continue
            }
        }
        return first.map(InboundOutcome.stored) ?? .duplicate
    }

    /// A postback button of a message delivered by `jobId` was chosen through the link the
    /// channel showed for it (email): the action's `payload` and `metadata`, as the business sent
    /// them, become `conversation:postback` from the job's recipient. The caller has checked that
    /// the link is Parley's. 404 for a job, message or action that is not there (or no longer).
    public func postbackChosen(appId: ResourceID, integrationId: ResourceID, channel: String, jobId: ResourceID, action: Int) async throws -> InboundOutcome {
        let choice = try await postback(appId: appId, integrationId: integrationId, jobId: jobId, action: action)
        return try await receive(InboundMessage(
            appId: appId, integrationId: integrationId, channel: channel, sender: choice.recipient, conversationHint: choice.conversationId,
            text: "", signal: .postback(payload: choice.payload, metadata: choice.metadata)))
    }

    /// The text of that postback button, to show the person before they confirm their choice.
    public func postbackText(appId: ResourceID, integrationId: ResourceID, jobId: ResourceID, action: Int) async throws -> String {
        try await postback(appId: appId, integrationId: integrationId, jobId: jobId, action: action).text
    }

    private func postback(
        appId: ResourceID, integrationId: ResourceID, jobId: ResourceID, action index: Int
    ) async throws -> (recipient: String, conversationId: ResourceID, text: String, payload: String, metadata: Metadata?) {
        guard let job = try await store.channelJob(id: jobId)?.job, job.appId == appId, job.integrationId == integrationId,
            let messageId = job.messageId, let conversationId = job.conversationId,
            let message = try await store.message(conversationId: conversationId, id: messageId),
            case .object(let content) = message.content, case .array(let actions)? = content["actions"], actions.indices.contains(index),
            case .object(let action) = actions[index], action["type"] == .string("postback"), case .string(let payload)? = action["payload"],
            case .string(let text)? = action["text"], let client = try await store.client(id: job.clientId)
        else { throw ParleyError(kind: .notFound, code: "not_found", title: "This choice is no longer available") }
        let metadata: Metadata? = if case .object(let values)? = action["metadata"] { Metadata(values) } else { nil }
        return (client.externalId, conversationId, text, payload, metadata)
    }

    /// A signal's event, in the user's conversation as the store just gave it (with who controls it).
    private func record(_ signal: ChannelSignal, of inbound: InboundMessage, user: User, conversation current: Conversation) async throws {
        let source = MessageSource(type: inbound.channel, integrationId: inbound.integrationId.rawValue)
        let author = MessageAuthor(type: .user, userId: user.id.rawValue)
        switch signal {
        case .postback(let payload, let metadata):
            try await store.recordEvents([events.postback(payload: payload, metadata: metadata, conversation: current, user: user, source: source)])
        case .referral(let code, let details):
            try await store.recordEvents([events.referral(code: code, details: details, conversation: current, user: user, source: source)])
        case .typing(let started):
            try await store.recordEvents([
                events.activity(started ? .typingStart : .typingStop, conversation: current, author: author, user: user, source: source)
            ])
        case .read:
            try await store.markRead(
                conversationId: current.id, userId: user.id, at: now(),
                events: [events.activity(.conversationRead, conversation: current, author: author, user: user, source: source)])
        }
    }

    /// The messages an inbound one becomes: its text, or with media one `image` or `file` message
    /// per item, the text on the first; each with the attachment it carries. A quick reply's
    /// answer is text with the reply's `payload`; a shared place is a `location` message.
    static func contents(of inbound: InboundMessage) -> [(content: JSONValue, attachments: [AttachmentToken])] {
        if let location = inbound.location?.content { return [(location, [])] }
        guard !inbound.media.isEmpty else {
            guard !inbound.text.isEmpty else { return [] }
            var text: [String: JSONValue] = ["type": .string("text"), "text": .string(inbound.text)]
            if let payload = inbound.replyPayload { text["payload"] = .string(payload) }
            return [(.object(text), [])]
        }
        return inbound.media.enumerated().map { index, media in
            let isImage = media.mediaType?.lowercased().hasPrefix("image/") == true
            var content: [String: JSONValue] = ["type": .string(isImage ? "image" : "file"), "mediaUrl": .string(media.url)]
            if let type = media.mediaType { content["mediaType"] = .string(type) }
            if let size = media.size { content["mediaSize"] = .integer(size) }
            if index == 0, !inbound.text.isEmpty { content["text"] = .string(inbound.text) }
            return (.object(content), media.attachment.map { [$0] } ?? [])
        }
    }

    /// Of the sender's linked clients, the one whose user takes part in the conversation replied
    /// to, else the newest.
    private func chooseLinked(_ active: [Client], hint: ResourceID?) async throws -> Client? {
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
        var profile = inbound.senderProfile
        if let name = inbound.senderName, profile.givenName == nil, profile.surname == nil {
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
            confirmation: .inbound, subject: subject)
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

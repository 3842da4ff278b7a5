/// Clients and channel linking: CreateClient, ListClients, RemoveClient, ListDevices, GetDevice,
/// and what a channel job's outcome does to its client (called by the channel dispatcher).
public struct ClientService: Sendable {
    /// The spec's `matchCriteria` types: the channels CreateClient may name.
    public static let linkableTypes = ["mailgun", "messagebird", "twilio", "whatsapp"]

    private let store: any ClientStore & DeviceStore & UserStore & ConversationStore & IntegrationStore & AppStore & EventStore & MessageStore
    private let conversations: ConversationService
    /// The channels Parley carries that `matchCriteria` may name, by type: how each reads it. A
    /// link of a type without one is refused rather than confirmed with no message ever sent.
    private let linking: [String: any ChannelRules]
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(
        store: any ClientStore & DeviceStore & UserStore & ConversationStore & IntegrationStore & AppStore & EventStore & MessageStore, conversations: ConversationService,
        ids: ResourceIDGenerator, linking: [any ChannelRules], now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.conversations = conversations
        self.linking = Dictionary(linking.filter { Self.linkableTypes.contains($0.type) }.map { ($0.type, $0) }) { first, _ in first }
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    /// CreateClient: validates the whole body before anything is written, then stores the pending
    /// client, its confirmation job, the `client:add` event and (for an sdkGroup target the user is
    /// not in) the user's participation, in one transaction.
    public func create(_ lookup: UserLookup, _ draft: ClientDraft) async throws -> Client {
        let user = try await user(lookup)
        // A link of a type nothing sends through would turn active (or wait) with no message ever sent.
        guard let channel = linking[draft.type] else {
            throw ParleyError.badRequest(
                "matchCriteria.type: Parley cannot send \(draft.type) messages yet, so a \(draft.type) link cannot be made; it can link \(linking.keys.sorted().joined(separator: ", "))")
        }
        var criteria = try JSONReader(draft.matchCriteria, path: "matchCriteria")
        let address = try channel.address(from: &criteria)
        let externalId = address.externalId
        // Optional ("if desired"): without one the job sends nothing and only completes the link.
        let message = try draft.confirmationMessage.map { try Self.confirmationMessage(try JSONReader($0, path: "confirmation.message")) } ?? [:]

        guard let integrationId = ResourceID(draft.integrationId),
            let integration = try await store.integration(appId: lookup.appId, id: integrationId)
        else { throw ParleyError.notFound(.integration) }
        guard integration.type == draft.type else {
            throw ParleyError.badRequest("matchCriteria.integrationId names a \(integration.type) integration, not \(draft.type)")
        }
        let conversation = try await conversations.get(appId: lookup.appId, id: draft.targetConversationId)
        var participant: Participant?
        if try await store.participant(conversationId: conversation.id, userId: user.id) == nil {
            guard conversation.type == .sdkGroup else {
                throw ParleyError.badRequest("target.conversationId: user \(user.id) is not a participant of personal conversation \(conversation.id)")
            }
            participant = Participant(id: ids.next(), conversationId: conversation.id, userId: user.id, userExternalId: user.externalId)
        }
        guard let app = try await store.app(id: lookup.appId) else { throw ParleyError.notFound(.app) }

        let filledSubject = address.subject?.replacingOccurrences(of: "{appName}", with: app.displayName)
        let client = Client(
            id: ids.next(), appId: lookup.appId, userId: user.id, type: draft.type, integrationId: integration.id, externalId: externalId,
            conversationId: conversation.id, primary: draft.primary, confirmation: draft.confirmation, subject: filledSubject)
        var payload = message
        payload["to"] = externalId
        if let filledSubject { payload["subject"] = filledSubject }
        let job = ChannelJob(
            id: ids.next(), appId: lookup.appId, integrationId: integration.id, clientId: client.id,
            activatesClient: draft.confirmation == .immediate, payload: payload, conversationId: conversation.id)
        var created = [events.clientAdded(client, user: user, conversation: conversation)]
        if let participant {
            created.insert(events.participantChanged(.conversationJoin, conversation: conversation, userId: user.id, userExternalId: user.externalId), at: 0)
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

    /// RemoveClient. The API refuses to remove `sdk` clients (400): the messenger's session holds them.
    public func remove(_ lookup: UserLookup, clientId: String) async throws {
        let user = try await user(lookup)
        guard let id = ResourceID(clientId), let client = try await store.client(id: id), client.userId == user.id else {
            throw ParleyError.notFound(.client)
        }
        if client.type == Client.sdkType { throw ParleyError.badRequest("sdk clients cannot be removed") }
        let conversation = try await conversation(of: client)
        let events = self.events
        guard try await store.deleteClient(id: client.id, events: { removed in
            [events.clientRemoved(removed, user: user, conversation: conversation, reason: .api)]
        }) else { throw ParleyError.notFound(.client) }
    }

    /// ListDevices: the devices of the user's `sdk` client (the browsers the web messenger ran in).
    public func devices(_ lookup: UserLookup) async throws -> [Device] {
        let user = try await user(lookup)
        return try await store.devices(userId: user.id)
    }

    /// GetDevice: one of the user's devices, else 404 `device_not_found`.
    public func device(_ lookup: UserLookup, deviceId: String) async throws -> Device {
        let user = try await user(lookup)
        guard let id = ResourceID(deviceId), let device = try await store.device(id: id),
            let client = try await store.client(id: device.clientId), client.userId == user.id
        else { throw ParleyError.notFound(.device) }
        return device
    }

    /// The business message a job delivers, as stored; nil for a link's confirmation, or when the
    /// message was deleted before its send.
    public func message(of job: ChannelJob) async throws -> Message? {
        guard let messageId = job.messageId, let conversationId = job.conversationId else { return nil }
        return try await store.message(conversationId: conversationId, id: messageId)
    }

    /// Applies a channel job's outcome. A link job: a delivered `immediate` confirmation activates
    /// the client (taking its address from other users, see `activation(of:at:)`); a final failure
    /// removes the pending client with the error. A delivery job: `conversation:message:delivery:channel`
    /// or `…:failure`. The job keeps its record either way.
    public func finish(_ job: ChannelJob, outcome: DeliveryOutcome, externalMessageId: String? = nil) async throws {
        let outcome = { var outcome = outcome; outcome.externalMessageId = externalMessageId; return outcome }()
        if let messageId = job.messageId {
            try await finishDelivery(job, messageId: messageId, outcome: outcome, externalMessageId: externalMessageId)
            return
        }
        guard let client = try await store.client(id: job.clientId) else {
            try await store.recordChannelJob(job, outcome: outcome, effect: .unchanged) { _ in [] }
            return
        }
        switch outcome.state {
        case .delivered where job.activatesClient && client.status == .pending:
            let (activation, events) = try await activation(of: client, at: outcome.at)
            try await store.recordChannelJob(job, outcome: outcome, effect: .activate(activation), events: events)
        case .dead where client.status == .pending:
            let user = try await store.user(UserLookup(appId: job.appId, idOrExternalId: client.userId.rawValue))
            let conversation = try await self.conversation(of: client)
            let events = self.events
            try await store.recordChannelJob(job, outcome: outcome, effect: .remove) { client in
                guard let user else { return [] }
                return [events.clientRemoved(
                    client, user: user, conversation: conversation, reason: .linkFailed, error: outcome.error ?? "The channel refused the message")]
            }
        default:
            try await store.recordChannelJob(job, outcome: outcome, effect: .unchanged) { _ in [] }
        }
    }

    private func finishDelivery(_ job: ChannelJob, messageId: ResourceID, outcome: DeliveryOutcome, externalMessageId: String?) async throws {
        var events: [OutboxEvent] = []
        if outcome.state != .pending, let client = try await store.client(id: job.clientId),
            let conversationId = job.conversationId, let conversation = try await store.conversation(appId: job.appId, id: conversationId),
            let user = try await store.user(UserLookup(appId: job.appId, idOrExternalId: client.userId.rawValue))
        {
            events = [outcome.state == .delivered
                ? self.events.messageDelivery(
                    .messageDeliveryChannel, messageId: messageId, conversation: conversation, user: user, client: client,
                    externalMessageId: externalMessageId)
                : self.events.messageDelivery(
                    .messageDeliveryFailure, messageId: messageId, conversation: conversation, user: user, client: client,
                    failure: DeliveryReport.Failure(code: "uncategorized_error", message: outcome.error ?? "The channel refused the message"))]
        }
        let recorded = events
        try await store.recordChannelJob(job, outcome: outcome, effect: .unchanged) { _ in recorded }
    }

    /// A channel's later report on a delivery it accepted (Mailgun's `delivered` or permanent
    /// `failed` event, Twilio's `delivered`, `undelivered` or `failed` status):
    /// `conversation:message:delivery:user` or `…:failure`, recorded once per job. Reports on jobs
    /// that carried no conversation message (link confirmations), unknown ones and repeats change
    /// nothing. Returns whether an event was recorded.
    ///
    /// A report can arrive while the send it is about is still unsettled: the provider accepted
    /// the message but the dispatcher has not committed that answer yet (or its answer was lost and
    /// a retry is due). Recording the report then would put `…:delivery:user` before
    /// `…:delivery:channel`, so it is refused with a 409 instead, for the provider to send again
    /// (docs/DECISIONS.md, "Delivery reports").
    ///
    /// This form finds the job by the provider's id for the message (WhatsApp's statuses, a
    /// Messenger delivery): a report the provider sends before Parley has recorded its acceptance
    /// names an id Parley does not know yet, and is not recorded.
    @discardableResult
    public func recordReport(
        integrationId: ResourceID, externalMessageId: String, appId: ResourceID, delivered: Bool, error: String?
    ) async throws -> Bool {
        guard let record = try await store.channelJob(integrationId: integrationId, externalMessageId: externalMessageId) else { return false }
        return try await recordReport(jobId: record.job.id, appId: appId, delivered: delivered, error: error)
    }

    /// `recordReport` for providers that name the job (Twilio's status callback URL).
    @discardableResult
    public func recordReport(jobId: ResourceID, appId: ResourceID, delivered: Bool, error: String?) async throws -> Bool {
        guard let record = try await store.channelJob(id: jobId), record.job.appId == appId, let messageId = record.job.messageId
        else { return false }
        if record.state == .pending {
            throw ParleyError.conflict("The channel's acceptance of this message is not recorded yet; send the report again later")
        }
        guard
            let conversationId = record.job.conversationId, let client = try await store.client(id: record.job.clientId),
            let conversation = try await store.conversation(appId: appId, id: conversationId),
            let user = try await store.user(UserLookup(appId: appId, idOrExternalId: client.userId.rawValue))
        else { return false }
        let event = delivered
            ? events.messageDelivery(.messageDeliveryUser, messageId: messageId, conversation: conversation, user: user, client: client)
            : events.messageDelivery(
                .messageDeliveryFailure, messageId: messageId, conversation: conversation, user: user, client: client,
                failure: DeliveryReport.Failure(code: "uncategorized_error", message: error ?? "The channel could not deliver the message"))
        return try await store.recordChannelReport(jobId: jobId, events: [event])
    }

    /// A user's opt-out (SMS's STOP) or opt-in (START) from an address: their active clients on it
    /// become `blocked` and receive nothing, or their blocked ones `active` again, each with
    /// `client:update` (reason `blocked` or `unblocked`). Pending links are cancelled by an
    /// opt-out: the user has just said they want no messages. Returns the clients changed.
    @discardableResult
    public func consent(_ consent: ChannelConsent, clients: [Client]) async throws -> [Client] {
        var changed: [Client] = []
        for client in clients {
            switch (consent, client.status) {
            case (.optOut, .pending):
                try await remove(client, reason: .linkCancelled, error: "The user opted out of messages on this channel")
            case (.optOut, .active), (.optIn, .blocked):
                let (from, to, reason): (Client.Status, Client.Status, ClientEventReason) =
                    consent == .optOut ? (.active, .blocked, .blocked) : (.blocked, .active, .unblocked)
                let user = try await store.user(UserLookup(appId: client.appId, idOrExternalId: client.userId.rawValue))
                let conversation = try await self.conversation(of: client)
                let events = self.events
                if let updated = try await store.changeClientStatus(id: client.id, from: from, to: to, events: { updated in
                    guard let user else { return [] }
                    return [events.clientUpdated(updated, user: user, conversation: conversation, reason: reason)]
                }) {
                    changed.append(updated)
                }
            default:
                continue
            }
        }
        return changed
    }

    /// A pending client confirmed by the user's own reply (`userActivity`, or a positive answer to a
    /// `prompt`). Nil when it was no longer pending.
    public func confirm(_ client: Client, at: Timestamp) async throws -> Client? {
        let (activation, events) = try await activation(of: client, at: at)
        return try await store.activateClient(id: client.id, activation, events: events)
    }

    /// `prompt` links the user has not answered within `seconds` fail: the pending client is
    /// removed (`client:remove`, reason `linkFailed`). Returns how many expired.
    @discardableResult
    public func expirePrompts(olderThan seconds: Double, now: Timestamp) async throws -> Int {
        let cutoff = Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Int64(seconds * 1000))
        let expired = try await store.pendingClients(confirmation: .prompt, createdBefore: cutoff, limit: 100)
        let hours = seconds >= 3600 ? "\(Int(seconds / 3600)) hours" : "\(Int(seconds)) seconds"
        for client in expired {
            try await remove(client, reason: .linkFailed, error: "The user did not answer the confirmation within \(hours)")
        }
        return expired.count
    }

    /// A negative answer to a `prompt`: the pending client is removed (`linkCancelled`).
    public func cancel(_ client: Client, reason: String) async throws {
        try await remove(client, reason: .linkCancelled, error: reason)
    }

    private func remove(_ client: Client, reason: ClientEventReason, error: String) async throws {
        let user = try await store.user(UserLookup(appId: client.appId, idOrExternalId: client.userId.rawValue))
        let conversation = try await self.conversation(of: client)
        let events = self.events
        _ = try await store.deleteClient(id: client.id) { removed in
            guard let user else { return [] }
            return [events.clientRemoved(removed, user: user, conversation: conversation, reason: reason, error: error)]
        }
    }

    /// How `pending` becomes active, and the events that tells. The same address may belong to
    /// other users' clients: the newest one of an anonymous user (no externalId: Parley made it
    /// from a stranger's email) is merged into the link's user (`user:merge`); identified users
    /// lose theirs (`client:remove`, reason `theft`).
    func activation(of pending: Client, at: Timestamp) async throws -> (ClientActivation, @Sendable (Client) -> [OutboxEvent]) {
        guard let user = try await store.user(UserLookup(appId: pending.appId, idOrExternalId: pending.userId.rawValue)) else {
            throw ParleyError.notFound(.user)
        }
        let conversation = try await self.conversation(of: pending)
        var activation = ClientActivation(at: at)
        var theftEvents: [OutboxEvent] = []
        var merged: (user: User, client: Client)?
        for other in try await store.clients(integrationId: pending.integrationId, externalId: pending.externalId)
        where other.userId != pending.userId && other.id != pending.id {
            guard let owner = try await store.user(UserLookup(appId: other.appId, idOrExternalId: other.userId.rawValue)) else { continue }
            if owner.externalId == nil, merged == nil, other.status == .active {
                merged = (owner, other)
                activation.merge = UserMerge(discardedUserId: owner.id, survivingClientId: other.id)
            } else {
                activation.displaced.append(other.id)
                theftEvents.append(events.clientRemoved(other, user: owner, conversation: try await self.conversation(of: other), reason: .theft))
            }
        }
        let factory = self.events
        let found = merged
        let thefts = theftEvents
        return (activation, { active in
            var result = thefts
            if let found {
                result.append(factory.usersMerged(surviving: user, discarded: found.user, survivingClient: active, discardedClient: pending))
            }
            result.append(factory.clientConfirmed(active, user: user, conversation: conversation))
            return result
        })
    }

    func conversation(of client: Client) async throws -> Conversation? {
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
        var author = try message.requireObject("author")
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
        return ChannelPayload.of(content)
    }
}

/// Builds the events the API's operations cause: each with a new id, the service's clock and a
/// typed `EventPayload` (rendered to the spec's `x-webhooks` shapes by ParleyWire's `EventJSON`).
public struct EventFactory: Sendable {
    private let ids: ResourceIDGenerator
    private let now: @Sendable () -> Timestamp

    public init(ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.ids = ids
        self.now = now
    }

    func event(_ type: EventType, appId: ResourceID, conversationId: ResourceID?, _ payload: EventPayload) -> OutboxEvent {
        OutboxEvent(id: ids.next(), appId: appId, type: type, conversationId: conversationId, createdAt: now(), payload: payload)
    }

    /// `source` is where the creation came from: the API (reason `none`), or a channel whose first
    /// message from a stranger started the conversation (reason `message`).
    public func conversationCreated(_ conversation: Conversation, user: User?, source: MessageSource? = nil) -> OutboxEvent {
        event(.conversationCreate, appId: conversation.appId, conversationId: conversation.id, .conversationCreated(conversation, user: user, source: source))
    }

    public func conversationRemoved(_ conversation: Conversation) -> OutboxEvent {
        event(.conversationRemove, appId: conversation.appId, conversationId: conversation.id, .conversationRemoved(conversation))
    }

    /// `conversation:join` or `conversation:leave`.
    public func participantChanged(_ type: EventType, conversation: Conversation, userId: ResourceID, userExternalId: String?) -> OutboxEvent {
        event(type, appId: conversation.appId, conversationId: conversation.id, .participant(conversation, userId: userId, userExternalId: userExternalId))
    }

    public func messagePosted(_ message: Message, conversation: Conversation, user: User?) -> OutboxEvent {
        event(.conversationMessage, appId: conversation.appId, conversationId: conversation.id, .message(message, conversation, user: user))
    }

    /// `conversation:read` and `conversation:typing`, from the API or a channel (`source`).
    public func activity(_ type: ActivityType, conversation: Conversation, author: MessageAuthor, user: User?, source: MessageSource? = nil) -> OutboxEvent {
        let trigger: EventType = type == .conversationRead ? .conversationRead : .conversationTyping
        return event(
            trigger, appId: conversation.appId, conversationId: conversation.id, .activity(type, conversation, author: author, user: user, source: source))
    }

    /// `conversation:postback`.
    public func postback(payload: String, metadata: Metadata?, conversation: Conversation, user: User, source: MessageSource) -> OutboxEvent {
        event(.conversationPostback, appId: conversation.appId, conversationId: conversation.id,
              .postback(payload: payload, metadata: metadata, conversation, user: user, source: source))
    }

    /// `conversation:referral`.
    public func referral(code: String, details: JSONValue?, conversation: Conversation, user: User, source: MessageSource) -> OutboxEvent {
        event(.conversationReferral, appId: conversation.appId, conversationId: conversation.id,
              .referral(code: code, details: details, conversation, user: user, source: source))
    }

    /// `user:update` after UpdateUser changed something.
    public func userUpdated(_ user: User) -> OutboxEvent {
        event(.userUpdate, appId: user.appId, conversationId: nil, .userUpdated(user))
    }

    public func userRemoved(_ user: User) -> OutboxEvent {
        event(.userRemove, appId: user.appId, conversationId: nil, .userRemoved(user))
    }

    /// `client:add` for a channel link: the conversation it targets, the user and the pending client.
    public func clientAdded(_ client: Client, user: User, conversation: Conversation?) -> OutboxEvent {
        clientEvent(.clientAdd, client, user: user, conversation: conversation, reason: .channelLinking)
    }

    /// `client:add` for a user's `sdk` client, made by their first messenger session.
    public func sdkClientAdded(_ client: Client, user: User) -> OutboxEvent {
        clientEvent(.clientAdd, client, user: user, conversation: nil, reason: .sdkLogin)
    }

    /// `client:update` with reason `confirmed`: the client is active.
    public func clientConfirmed(_ client: Client, user: User, conversation: Conversation?) -> OutboxEvent {
        clientUpdated(client, user: user, conversation: conversation, reason: .confirmed)
    }

    /// `client:update`: `confirmed` (now active), `blocked` (the user unsubscribed), `unblocked`.
    public func clientUpdated(_ client: Client, user: User, conversation: Conversation?, reason: ClientEventReason) -> OutboxEvent {
        clientEvent(.clientUpdate, client, user: user, conversation: conversation, reason: reason)
    }

    /// `client:remove`: `linkFailed` carries the channel's error; `api` is RemoveClient.
    public func clientRemoved(_ client: Client, user: User, conversation: Conversation?, reason: ClientEventReason, error: String? = nil) -> OutboxEvent {
        clientEvent(.clientRemove, client, user: user, conversation: conversation, reason: reason, error: error)
    }

    /// `conversation:message:delivery:channel|user|failure` for a message delivered through `client`.
    /// `isFinalEvent`: a channel acceptance may still be followed by the user's (an email's
    /// `delivered` report); a user delivery or a failure is the last word.
    public func messageDelivery(
        _ type: EventType, messageId: ResourceID, conversation: Conversation, user: User, client: Client, externalMessageId: String? = nil,
        failure: DeliveryReport.Failure? = nil
    ) -> OutboxEvent {
        let report = DeliveryReport(
            messageId: messageId, conversation: conversation, user: user, client: client, isFinal: type != .messageDeliveryChannel,
            externalMessageId: externalMessageId, failure: failure)
        return event(type, appId: conversation.appId, conversationId: conversation.id, .delivery(report))
    }

    /// `user:merge` (reason `channelLinking`): the anonymous user of an address folded into the
    /// user a link was made for; that user's client survives and the pending one is discarded.
    public func usersMerged(surviving: User, discarded: User, survivingClient: Client, discardedClient: Client) -> OutboxEvent {
        event(.userMerge, appId: surviving.appId, conversationId: nil, .usersMerged(
            surviving: surviving, discarded: discarded, survivingClient: survivingClient, discardedClient: discardedClient))
    }

    /// `switchboard:passControl`, `…:offerControl`, `…:acceptControl`, `…:releaseControl` and
    /// their `:failure`s.
    public func control(_ type: EventType, _ control: ControlEvent) -> OutboxEvent {
        event(type, appId: control.conversation.appId, conversationId: control.conversation.id, .control(control))
    }

    private func clientEvent(
        _ type: EventType, _ client: Client, user: User, conversation: Conversation?, reason: ClientEventReason, error: String? = nil
    ) -> OutboxEvent {
        event(type, appId: client.appId, conversationId: conversation?.id, .client(client, user: user, conversation: conversation, reason: reason, error: error))
    }
}

/// What an event tells, in the domain's types: the wire home (ParleyWire's `EventJSON`) renders it
/// to the spec's `x-webhooks` payload when the store records it, with the same renderers as the
/// API's responses.
public enum EventPayload: Hashable, Sendable {
    /// `conversation:create`: `source` is the channel whose stranger's first message made it (nil: the API).
    case conversationCreated(Conversation, user: User?, source: MessageSource?)
    /// `conversation:remove`.
    case conversationRemoved(Conversation)
    /// `conversation:join` and `conversation:leave`.
    case participant(Conversation, userId: ResourceID, userExternalId: String?)
    /// `conversation:message`: the author's user in full when a user wrote it.
    case message(Message, Conversation, user: User?)
    /// `conversation:read` and `conversation:typing`; `source` is the channel that reported it
    /// (nil: the API).
    case activity(ActivityType, Conversation, author: MessageAuthor, user: User?, source: MessageSource?)
    /// `conversation:postback`: a postback chosen on a channel.
    case postback(payload: String, metadata: Metadata?, Conversation, user: User, source: MessageSource)
    /// `conversation:referral`: the user arrived through a referral.
    case referral(code: String, details: JSONValue?, Conversation, user: User, source: MessageSource)
    /// `user:update` (from the API: no reason).
    case userUpdated(User)
    /// `user:remove`.
    case userRemoved(User)
    /// `client:add`, `client:update` and `client:remove`, with the spec's reason and, for a failed
    /// link, the error's message.
    case client(Client, user: User, conversation: Conversation?, reason: ClientEventReason, error: String?)
    /// `conversation:message:delivery:channel|user|failure` for a message delivered through `client`.
    case delivery(DeliveryReport)
    /// `user:merge` (reason `channelLinking`).
    case usersMerged(surviving: User, discarded: User, survivingClient: Client, discardedClient: Client)
    /// The seven `switchboard:*` triggers.
    case control(ControlEvent)
}

extension EventPayload {
    /// The conversation the event is about, as the change that caused it left it.
    public var conversation: Conversation? {
        switch self {
        case .conversationCreated(let conversation, _, _), .conversationRemoved(let conversation), .participant(let conversation, _, _),
            .message(_, let conversation, _), .activity(_, let conversation, _, _, _), .postback(_, _, let conversation, _, _),
            .referral(_, _, let conversation, _, _):
            conversation
        case .client(_, _, let conversation, _, _): conversation
        case .delivery(let report): report.conversation
        case .control(let control): control.conversation
        case .userUpdated, .userRemoved, .usersMerged: nil
        }
    }
}

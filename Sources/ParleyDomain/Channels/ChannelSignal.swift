/// What a user did on a channel besides writing, as the channel reports it: each becomes its
/// event (`conversation:postback`, `conversation:referral`, `conversation:typing`,
/// `conversation:read`) in the user's conversation, routed like every conversation event.
public enum ChannelSignal: Hashable, Sendable {
    /// A postback button was chosen: its `payload` and `metadata`, as the business's action had them.
    case postback(payload: String, metadata: Metadata?)
    /// The user arrived through a referral (a link or an ad carrying a code).
    case referral(code: String, details: JSONValue?)
    /// The user started (true) or stopped typing.
    case typing(started: Bool)
    /// The user read the conversation.
    case read
}

/// A message a user sent through a channel, read and authenticated by that channel's connector
/// (for Mailgun: a signed route forward), in channel-neutral terms.
public struct InboundMessage: Hashable, Sendable {
    public var appId: ResourceID
    public var integrationId: ResourceID
    /// The channel type (`mailgun`).
    public var channel: String
    /// Who wrote: the address or number, as client `externalId`s spell it (addresses lowercased).
    public var sender: String
    /// The sender's display name, when the channel gives one ("Steve B" of `Steve B <steveb@…>`).
    public var senderName: String?
    /// The conversation the user replied to, when the channel tells (the tag of a Reply-To address).
    public var conversationHint: ResourceID?
    /// The new text of the message, quoted history removed.
    public var text: String
    /// The email subject, for the subject of Parley's replies.
    public var subject: String?
    /// The channel's id of the message (an email's Message-Id).
    public var originalMessageId: String?

    public init(
        appId: ResourceID, integrationId: ResourceID, channel: String, sender: String, senderName: String? = nil,
        conversationHint: ResourceID? = nil, text: String, subject: String? = nil, originalMessageId: String? = nil
    ) {
        self.appId = appId
        self.integrationId = integrationId
        self.channel = channel
        self.sender = sender
        self.senderName = senderName
        self.conversationHint = conversationHint
        self.text = text
        self.subject = subject
        self.originalMessageId = originalMessageId
    }
}

/// What an inbound message came to.
public enum InboundOutcome: Hashable, Sendable {
    /// Stored as a conversation message.
    case stored(Message)
    /// It answered a `prompt` positively: the client is active; the answer itself is not stored.
    case linkConfirmed(Client)
    /// It answered a `prompt` negatively: the pending client is removed.
    case linkCancelled(Client)
    /// The channel sent it before (a provider's retry); nothing changed.
    case duplicate
    /// Nothing to store (an empty body once quoted text is removed).
    case ignored
}

/// A message a user sent through a channel, read and authenticated by that channel's plug-in
/// (a signed Mailgun route forward, a signed Twilio webhook), in channel-neutral terms.
public struct InboundMessage: Hashable, Sendable {
    public var appId: ResourceID
    public var integrationId: ResourceID
    /// The channel type (`mailgun`, `twilio`): the message's `source.type` and a new client's type.
    public var channel: String
    /// Who wrote: the address or number, as client `externalId`s spell it (addresses lowercased,
    /// numbers in E.164).
    public var sender: String
    /// The sender's display name, when the channel gives one ("Steve B" of `Steve B <steveb@…>`).
    public var senderName: String?
    /// What the channel tells of the sender, for the profile of a user Parley makes for a stranger
    /// (an email channel's address as `email`).
    public var senderProfile: Profile
    /// The conversation the user replied to, when the channel tells (the tag of a Reply-To address).
    public var conversationHint: ResourceID?
    /// The new text of the message, quoted history removed.
    public var text: String
    /// Pictures and files that came with it (MMS media).
    public var media: [InboundMedia]
    /// The payload of the business's `reply` action the user chose (a quick reply tapped on
    /// Messenger, a reply button on WhatsApp): the text message's `payload`, as the spec has it.
    public var replyPayload: String?
    /// A place the user shared: a `location` message (the text, if any, is ignored).
    public var location: InboundLocation?
    /// The email subject, for the subject of Parley's replies.
    public var subject: String?
    /// The channel's id of the message (an email's Message-Id, Twilio's MessageSid): a provider's
    /// retry of it is stored once.
    public var originalMessageId: String?
    /// Set when the message is an opt-out or opt-in keyword (SMS's STOP and START).
    public var consent: ChannelConsent?
    /// What the user did besides writing (a postback chosen, a referral, typing, a read); the
    /// text may then be empty.
    public var signal: ChannelSignal?

    public init(
        appId: ResourceID, integrationId: ResourceID, channel: String, sender: String, senderName: String? = nil,
        senderProfile: Profile = Profile(), conversationHint: ResourceID? = nil, text: String, media: [InboundMedia] = [],
        subject: String? = nil, originalMessageId: String? = nil, consent: ChannelConsent? = nil,
        signal: ChannelSignal? = nil, replyPayload: String? = nil, location: InboundLocation? = nil
    ) {
        self.location = location
        self.replyPayload = replyPayload
        self.appId = appId
        self.integrationId = integrationId
        self.channel = channel
        self.sender = sender
        self.senderName = senderName
        self.senderProfile = senderProfile
        self.conversationHint = conversationHint
        self.text = text
        self.media = media
        self.subject = subject
        self.originalMessageId = originalMessageId
        self.consent = consent
        self.signal = signal
    }
}

/// What an inbound message came to.
public enum InboundOutcome: Hashable, Sendable {
    /// Stored as a conversation message (the first, when media made several).
    case stored(Message)
    /// It answered a `prompt` positively: the client is active; the answer itself is not stored.
    case linkConfirmed(Client)
    /// It answered a `prompt` negatively: the pending client is removed.
    case linkCancelled(Client)
    /// The channel sent it before (a provider's retry); nothing changed.
    case duplicate
    /// Nothing to store (an empty body once quoted text is removed; an opt-out from a stranger).
    case ignored
    /// Only a signal (a postback, a referral, typing, a read): its event is recorded.
    case signalled

    /// How the inbound endpoints tell the provider (and the operator reading its logs) what happened.
    public var summary: JSONValue {
        switch self {
        case .stored(let message):
            .object(["result": .string("stored"), "messageId": .string(message.id.rawValue), "conversationId": .string(message.conversationId.rawValue)])
        case .linkConfirmed(let client): .object(["result": .string("linkConfirmed"), "clientId": .string(client.id.rawValue)])
        case .linkCancelled(let client): .object(["result": .string("linkCancelled"), "clientId": .string(client.id.rawValue)])
        case .duplicate: .object(["result": .string("duplicate")])
        case .ignored: .object(["result": .string("ignored")])
        case .signalled: .object(["result": .string("signalled")])
        }
    }
}

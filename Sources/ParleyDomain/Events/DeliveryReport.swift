/// A message's delivery through a channel client, as the delivery events tell it.
public struct DeliveryReport: Hashable, Sendable {
    /// A failure's `error`: the spec's code and the channel's message.
    public struct Failure: Hashable, Sendable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var messageId: ResourceID
    public var conversation: Conversation
    public var user: User
    public var client: Client
    /// A channel's acceptance may still be followed by the user's delivery; those and failures are final.
    public var isFinal: Bool
    /// The channel's id for the message (Mailgun's id, Twilio's sid).
    public var externalMessageId: String?
    public var failure: Failure?

    public init(
        messageId: ResourceID, conversation: Conversation, user: User, client: Client, isFinal: Bool, externalMessageId: String? = nil,
        failure: Failure? = nil
    ) {
        self.messageId = messageId
        self.conversation = conversation
        self.user = user
        self.client = client
        self.isFinal = isFinal
        self.externalMessageId = externalMessageId
        self.failure = failure
    }
}

/// A message in a conversation, as stored and shown.
public struct Message: Hashable, Sendable {
    public var id: ResourceID
    public var conversationId: ResourceID
    public var received: Timestamp
    public var author: MessageAuthor
    /// Validated, normalised content (see `ContentRules`), kept in its wire shape.
    public var content: JSONValue
    public var source: MessageSource
    public var metadata: Metadata?
    /// Where the business asked it to be delivered (`{integrationId}` or `{integrationType}`).
    public var destination: JSONValue?
    /// Channel-specific payloads that replace the generic rendering.
    public var override: JSONValue?
    /// A channel's identity of an inbound message (e.g. `mailgun:<integration>:<Message-Id>`):
    /// unique, so a provider's retry of the same message is stored once. Never shown.
    public var externalKey: String?
    /// Uploads made `for=message` that this message carries: storing the message links them to it,
    /// so they are deleted with it (`MessageStore.appendMessage`). Never shown.
    public var attachments: [AttachmentToken]

    public init(
        id: ResourceID, conversationId: ResourceID, received: Timestamp, author: MessageAuthor, content: JSONValue,
        source: MessageSource, metadata: Metadata? = nil, destination: JSONValue? = nil, override: JSONValue? = nil,
        externalKey: String? = nil, attachments: [AttachmentToken] = []
    ) {
        self.externalKey = externalKey
        self.attachments = attachments
        self.id = id
        self.conversationId = conversationId
        self.received = received
        self.author = author
        self.content = content
        self.source = source
        self.metadata = metadata
        self.destination = destination
        self.override = override
    }
}

/// Who wrote a message: the business (an agent, a bot) or a user of the conversation.
public struct MessageAuthor: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case business, user
    }

    public var type: Kind
    public var subtypes: [String]?
    public var userId: String?
    public var displayName: String?
    public var avatarUrl: String?

    public init(type: Kind, subtypes: [String]? = nil, userId: String? = nil, displayName: String? = nil, avatarUrl: String? = nil) {
        self.type = type
        self.subtypes = subtypes
        self.userId = userId
        self.displayName = displayName
        self.avatarUrl = avatarUrl
    }
}

/// Where a message came from. Messages posted through this API are `api:conversations`.
public struct MessageSource: Hashable, Sendable, Codable {
    public var type: String
    public var integrationId: String?
    /// The channel's own id for the message (an email's Message-Id).
    public var originalMessageId: String?

    public init(type: String, integrationId: String? = nil, originalMessageId: String? = nil) {
        self.type = type
        self.integrationId = integrationId
        self.originalMessageId = originalMessageId
    }

    public static let api = MessageSource(type: "api:conversations")
}

/// A user's membership of a conversation, with what they have read.
public struct Participant: Hashable, Sendable {
    public var id: ResourceID
    public var conversationId: ResourceID
    public var userId: ResourceID
    public var userExternalId: String?
    public var unreadCount: Int
    public var lastRead: Timestamp?
    /// Channels the user is reached by in this conversation, most recent (primary) first.
    public var clientAssociations: [ClientAssociation]

    public init(
        id: ResourceID, conversationId: ResourceID, userId: ResourceID, userExternalId: String? = nil, unreadCount: Int = 0,
        lastRead: Timestamp? = nil, clientAssociations: [ClientAssociation] = []
    ) {
        self.id = id
        self.conversationId = conversationId
        self.userId = userId
        self.userExternalId = userExternalId
        self.unreadCount = unreadCount
        self.lastRead = lastRead
        self.clientAssociations = clientAssociations
    }
}

/// `{type, clientId}`: which client of the user a conversation delivers to.
public struct ClientAssociation: Hashable, Sendable, Codable {
    public var type: String
    public var clientId: String

    public init(type: String, clientId: String) {
        self.type = type
        self.clientId = clientId
    }
}

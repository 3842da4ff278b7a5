/// A conversation of an app.
public struct Conversation: Hashable, Sendable {
    /// "10 participants" for sdkGroup conversations, and the most a create body may name.
    public static let maximumParticipants = 10

    public var id: ResourceID
    public var appId: ResourceID
    public var type: ConversationType
    public var displayName: String?
    public var description: String?
    public var iconUrl: String?
    public var metadata: Metadata?
    /// True only for a user's first personal conversation; it cannot be deleted.
    public var isDefault: Bool
    public var businessLastRead: Timestamp?
    /// The last message's time, or the creation time.
    public var lastUpdatedAt: Timestamp
    public var createdAt: Timestamp

    public init(
        id: ResourceID, appId: ResourceID, type: ConversationType, displayName: String? = nil, description: String? = nil,
        iconUrl: String? = nil, metadata: Metadata? = nil, isDefault: Bool = false, businessLastRead: Timestamp? = nil,
        lastUpdatedAt: Timestamp, createdAt: Timestamp
    ) {
        self.id = id
        self.appId = appId
        self.type = type
        self.displayName = displayName
        self.description = description
        self.iconUrl = iconUrl
        self.metadata = metadata
        self.isDefault = isDefault
        self.businessLastRead = businessLastRead
        self.lastUpdatedAt = lastUpdatedAt
        self.createdAt = createdAt
    }
}

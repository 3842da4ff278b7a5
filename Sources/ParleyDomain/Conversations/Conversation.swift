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
    /// The switchboard integration in control, and the one offered control: read from the
    /// switchboard by the store (omitted once that integration or the switchboard is gone);
    /// changed only by the switchboard's control actions and its default assignment.
    public var activeSwitchboardIntegration: SwitchboardIntegrationSummary?
    public var pendingSwitchboardIntegration: SwitchboardIntegrationSummary?

    public init(
        id: ResourceID, appId: ResourceID, type: ConversationType, displayName: String? = nil, description: String? = nil,
        iconUrl: String? = nil, metadata: Metadata? = nil, isDefault: Bool = false, businessLastRead: Timestamp? = nil,
        lastUpdatedAt: Timestamp, createdAt: Timestamp,
        activeSwitchboardIntegration: SwitchboardIntegrationSummary? = nil, pendingSwitchboardIntegration: SwitchboardIntegrationSummary? = nil
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
        self.activeSwitchboardIntegration = activeSwitchboardIntegration
        self.pendingSwitchboardIntegration = pendingSwitchboardIntegration
    }
}

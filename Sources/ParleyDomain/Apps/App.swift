/// A Sunshine Conversations app: the tenant every user, conversation and integration lives in.
public struct App: Hashable, Sendable {
    public var id: ResourceID
    public var displayName: String
    public var settings: AppSettings
    public var metadata: Metadata?

    public init(id: ResourceID, displayName: String, settings: AppSettings = AppSettings(), metadata: Metadata? = nil) {
        self.id = id
        self.displayName = displayName
        self.settings = settings
        self.metadata = metadata
    }
}

/// What CreateApp and UpdateApp carry, already decoded from JSON but not yet validated.
public struct AppDraft: Sendable {
    public var displayName: Patch<String>
    public var settings: AppSettings?
    public var metadata: Patch<[String: JSONValue]>

    public init(displayName: Patch<String> = .absent, settings: AppSettings? = nil, metadata: Patch<[String: JSONValue]> = .absent) {
        self.displayName = displayName
        self.settings = settings
        self.metadata = metadata
    }
}

/// CreateApp's body.
public struct AppCreate: Codable, Sendable, Hashable {
    /// Required: 1–100 characters.
    public var displayName: String
    public var settings: AppSettings?
    public var metadata: JSONObject?

    public init(displayName: String, settings: AppSettings? = nil, metadata: JSONObject? = nil) {
        self.displayName = displayName
        self.settings = settings
        self.metadata = metadata
    }
}

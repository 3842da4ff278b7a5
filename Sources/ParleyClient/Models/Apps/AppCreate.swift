/// CreateApp's body.
public struct AppCreate: Codable, Sendable, Hashable {
    /// Required: 1–100 characters.
    public var displayName: String
    public var settings: AppSettings?
    public var metadata: JSONObject?

    /// Makes one from its fields; those left nil are not sent.
    public init(displayName: String, settings: AppSettings? = nil, metadata: JSONObject? = nil) {
        self.displayName = displayName
        self.settings = settings
        self.metadata = metadata
    }
}

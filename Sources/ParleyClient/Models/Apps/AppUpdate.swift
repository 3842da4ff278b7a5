/// UpdateApp's body: only the fields set are sent.
public struct AppUpdate: Codable, Sendable, Hashable {
    /// A new name (it cannot be removed).
    public var displayName: String?
    /// Settings to change; the others stay.
    public var settings: AppSettings?
    /// Replaces the whole metadata object; `.null` removes it.
    public var metadata: Nullable<JSONObject>?

    /// Makes one from its fields; those left nil are not sent.
    public init(displayName: String? = nil, settings: AppSettings? = nil, metadata: Nullable<JSONObject>? = nil) {
        self.displayName = displayName
        self.settings = settings
        self.metadata = metadata
    }
}

/// UpdateConversation's body: fields left nil stay, `.null` clears one.
public struct ConversationUpdate: Codable, Sendable, Hashable {
    public var displayName: Nullable<String>?
    public var description: Nullable<String>?
    public var iconUrl: Nullable<String>?
    public var metadata: Nullable<JSONObject>?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        displayName: Nullable<String>? = nil, description: Nullable<String>? = nil, iconUrl: Nullable<String>? = nil,
        metadata: Nullable<JSONObject>? = nil
    ) {
        self.displayName = displayName
        self.description = description
        self.iconUrl = iconUrl
        self.metadata = metadata
    }
}

/// A card of a carousel or an item of a list.
public struct MessageItem: Codable, Sendable, Hashable {
    public var title: String
    public var description: String?
    public var mediaUrl: String?
    public var mediaType: String?
    public var altText: String?
    /// `compact` or `large`.
    public var size: String?
    /// 1–3 buttons (`buy`, `link`, `postback`, `webview`).
    public var actions: [Action]
    public var metadata: JSONObject?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        title: String, description: String? = nil, mediaUrl: String? = nil, altText: String? = nil, size: String? = nil, actions: [Action],
        metadata: JSONObject? = nil
    ) {
        self.title = title
        self.description = description
        self.mediaUrl = mediaUrl
        self.altText = altText
        self.size = size
        self.actions = actions
        self.metadata = metadata
    }
}

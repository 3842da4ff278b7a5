/// `carousel` content: 1–10 cards side by side.
public struct CarouselContent: Codable, Sendable, Hashable {
    public var items: [MessageItem]
    /// The fallback text, set by the server.
    public var text: String?
    public var blockChatInput: Bool?
    public var displaySettings: DisplaySettings?

    /// Makes one from its fields; those left nil are not sent.
    public init(items: [MessageItem], blockChatInput: Bool? = nil, displaySettings: DisplaySettings? = nil) {
        self.items = items
        self.blockChatInput = blockChatInput
        self.displaySettings = displaySettings
    }
}

/// `list` content: 1–10 items one under another, with up to 10 buttons below.
public struct ListContent: Codable, Sendable, Hashable {
    public var items: [MessageItem]
    public var actions: [Action]?
    public var blockChatInput: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(items: [MessageItem], actions: [Action]? = nil, blockChatInput: Bool? = nil) {
        self.items = items
        self.actions = actions
        self.blockChatInput = blockChatInput
    }
}

/// `list` content: 1–10 items one under another, with up to 10 buttons below.
public struct ListContent: Codable, Sendable, Hashable {
    public var items: [MessageItem]
    public var actions: [Action]?
    public var blockChatInput: Bool?

    public init(items: [MessageItem], actions: [Action]? = nil, blockChatInput: Bool? = nil) {
        self.items = items
        self.actions = actions
        self.blockChatInput = blockChatInput
    }
}

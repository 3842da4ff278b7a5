/// `text` content: text, optionally rich (`htmlText`, or `markdownText` which the server renders),
/// with buttons.
public struct TextContent: Codable, Sendable, Hashable {
    /// Up to 4096 characters; required unless `htmlText`, `markdownText` or `actions` are set.
    public var text: String?
    public var htmlText: String?
    /// Sent only: the server renders it to `htmlText`.
    public var markdownText: String?
    public var blockChatInput: Bool?
    public var actions: [Action]?
    /// The payload of the reply button this text answers.
    public var payload: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        text: String? = nil, htmlText: String? = nil, markdownText: String? = nil, blockChatInput: Bool? = nil, actions: [Action]? = nil,
        payload: String? = nil
    ) {
        self.text = text
        self.htmlText = htmlText
        self.markdownText = markdownText
        self.blockChatInput = blockChatInput
        self.actions = actions
        self.payload = payload
    }
}

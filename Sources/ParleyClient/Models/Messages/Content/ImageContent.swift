/// `image` content: a picture by URL (an attachment's `mediaUrl`, say), with optional text and buttons.
public struct ImageContent: Codable, Sendable, Hashable {
    public var mediaUrl: String
    /// Set by the server.
    public var mediaType: String?
    /// Bytes, set by the server.
    public var mediaSize: Double?
    public var altText: String?
    public var text: String?
    public var blockChatInput: Bool?
    public var htmlText: String?
    public var markdownText: String?
    public var actions: [Action]?
    public var attachmentId: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        mediaUrl: String, altText: String? = nil, text: String? = nil, blockChatInput: Bool? = nil, htmlText: String? = nil,
        markdownText: String? = nil, actions: [Action]? = nil, attachmentId: String? = nil
    ) {
        self.mediaUrl = mediaUrl
        self.altText = altText
        self.text = text
        self.blockChatInput = blockChatInput
        self.htmlText = htmlText
        self.markdownText = markdownText
        self.actions = actions
        self.attachmentId = attachmentId
    }
}

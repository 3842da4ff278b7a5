/// `file` content: a document by URL, with optional text.
public struct FileContent: Codable, Sendable, Hashable {
    public var mediaUrl: String
    /// Bytes, set by the server.
    public var mediaSize: Double?
    /// Set by the server.
    public var mediaType: String?
    public var altText: String?
    public var text: String?
    public var blockChatInput: Bool?
    public var htmlText: String?
    public var markdownText: String?
    public var attachmentId: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        mediaUrl: String, altText: String? = nil, text: String? = nil, blockChatInput: Bool? = nil, htmlText: String? = nil,
        markdownText: String? = nil, attachmentId: String? = nil
    ) {
        self.mediaUrl = mediaUrl
        self.altText = altText
        self.text = text
        self.blockChatInput = blockChatInput
        self.htmlText = htmlText
        self.markdownText = markdownText
        self.attachmentId = attachmentId
    }
}

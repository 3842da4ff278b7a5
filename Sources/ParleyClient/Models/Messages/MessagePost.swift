/// PostMessage's body (and CreateClient's confirmation message).
public struct MessagePost: Codable, Sendable, Hashable {
    public var author: Author
    public var content: MessageContent
    /// Deliver through one integration or channel type only (`integrationType: "none"`: store, do not deliver).
    public var destination: Destination?
    public var metadata: JSONObject?
    /// Channel-specific payloads sent instead of the rendered content.
    public var override: MessageOverride?
    /// `whatsapp`: `content` is a native WhatsApp template.
    public var schema: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        author: Author, content: MessageContent, destination: Destination? = nil, metadata: JSONObject? = nil, override: MessageOverride? = nil,
        schema: String? = nil
    ) {
        self.author = author
        self.content = content
        self.destination = destination
        self.metadata = metadata
        self.override = override
        self.schema = schema
    }
}

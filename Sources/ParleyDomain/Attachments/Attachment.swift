/// A file uploaded through UploadAttachment (or stored from a channel): its bytes are in the
/// `AttachmentStorage`, its record in the `AttachmentStore`. It is served at its `mediaUrl`
/// under `PARLEY_PUBLIC_URL`, named by an unguessable token rather than its id.
public struct Attachment: Hashable, Sendable {
    public var token: AttachmentToken
    public var appId: ResourceID
    /// Set with `for=message`: the attachment goes with that conversation.
    public var conversationId: ResourceID?
    /// `for=message`: deleted with the message, conversation, user or app that uses it.
    public var forMessage: Bool
    public var mediaType: String
    /// The file's name as uploaded, reduced to characters safe in a URL path segment.
    public var fileName: String
    public var size: Int64
    /// Hex SHA-256 of the bytes: the `ETag`.
    public var digest: String
    public var createdAt: Timestamp

    /// Where it is served: `{base}/attachments/{token}/{fileName}`, `base` being `PARLEY_PUBLIC_URL`
    /// (else the Host the request came to), without a trailing slash.
    public func mediaUrl(base: String) -> String {
        "\(base)/attachments/\(token.rawValue)/\(fileName)"
    }

    public init(
        token: AttachmentToken, appId: ResourceID, conversationId: ResourceID? = nil, forMessage: Bool = false, mediaType: String, fileName: String,
        size: Int64, digest: String, createdAt: Timestamp
    ) {
        self.token = token
        self.appId = appId
        self.conversationId = conversationId
        self.forMessage = forMessage
        self.mediaType = mediaType
        self.fileName = fileName
        self.size = size
        self.digest = digest
        self.createdAt = createdAt
    }
}

/// A picture or file a user sent through a channel (an email's attachment, an MMS's media),
/// stored as an `image` or `file` message that points at it.
public struct InboundMedia: Hashable, Sendable {
    /// Where it is: the attachment Parley stored it as, or where the channel keeps it when it
    /// could not be stored.
    public var url: String
    /// Its media type (`image/jpeg`); images become `image` messages.
    public var mediaType: String?
    /// Its size in bytes, when Parley stored it.
    public var size: Int64?
    /// The attachment Parley stored it as (`for=message`: it goes with the message).
    public var attachment: AttachmentToken?

    public init(url: String, mediaType: String?, size: Int64? = nil, attachment: AttachmentToken? = nil) {
        self.url = url
        self.mediaType = mediaType
        self.size = size
        self.attachment = attachment
    }

    /// A file stored as `attachment`, served under `base`.
    public init(_ attachment: Attachment, base: String) {
        self.init(url: attachment.mediaUrl(base: base), mediaType: attachment.mediaType, size: attachment.size, attachment: attachment.token)
    }
}

/// A picture or file a user sent through a channel (an MMS's media), stored as an `image` or
/// `file` message that points at it.
public struct InboundMedia: Hashable, Sendable {
    /// Where the channel keeps it (Twilio's media URL).
    public var url: String
    /// Its media type as the channel gave it (`image/jpeg`); images become `image` messages.
    public var mediaType: String?

    public init(url: String, mediaType: String?) {
        self.url = url
        self.mediaType = mediaType
    }
}

/// An uploaded file: its public URL (use it as an image or file message's `mediaUrl`) and type.
public struct Attachment: Codable, Sendable, Hashable {
    public var mediaUrl: String
    public var mediaType: String?
}

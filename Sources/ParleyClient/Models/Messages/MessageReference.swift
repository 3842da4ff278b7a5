/// A link shown with a message.
public struct MessageReference: Codable, Sendable, Hashable {
    public var uri: String
    public var title: String?
    public var description: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(uri: String, title: String? = nil, description: String? = nil) {
        self.uri = uri
        self.title = title
        self.description = description
    }
}

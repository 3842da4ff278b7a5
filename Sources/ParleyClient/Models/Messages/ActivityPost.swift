/// PostActivity's body: a read receipt or typing indicator. A `user` author may only send
/// `conversation:read`.
public struct ActivityPost: Codable, Sendable, Hashable {
    public var author: Author
    public var type: ActivityType

    /// Makes one from its fields; those left nil are not sent.
    public init(author: Author, type: ActivityType) {
        self.author = author
        self.type = type
    }
}

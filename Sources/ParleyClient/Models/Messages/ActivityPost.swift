/// PostActivity's body: a read receipt or typing indicator. A `user` author may only send
/// `conversation:read`.
public struct ActivityPost: Codable, Sendable, Hashable {
    public var author: Author
    public var type: ActivityType

    public init(author: Author, type: ActivityType) {
        self.author = author
        self.type = type
    }
}

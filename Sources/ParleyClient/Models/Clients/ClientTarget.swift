/// The conversation a new client is attached to.
public struct ClientTarget: Codable, Sendable, Hashable {
    public var conversationId: String

    /// Makes one from its fields; those left nil are not sent.
    public init(conversationId: String) {
        self.conversationId = conversationId
    }
}

/// The conversation a new client is attached to.
public struct ClientTarget: Codable, Sendable, Hashable {
    public var conversationId: String

    public init(conversationId: String) {
        self.conversationId = conversationId
    }
}

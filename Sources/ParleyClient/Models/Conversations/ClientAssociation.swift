/// One of a participant's clients in a conversation.
public struct ClientAssociation: Codable, Sendable, Hashable {
    public var type: ClientType?
    public var clientId: String?
}

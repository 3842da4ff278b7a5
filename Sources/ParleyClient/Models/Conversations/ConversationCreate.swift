/// CreateConversation's body. A `personal` conversation needs exactly one participant, an
/// `sdkGroup` up to 10.
public struct ConversationCreate: Codable, Sendable, Hashable {
    public var type: ConversationType
    public var participants: [ParticipantJoin]?
    public var displayName: String?
    public var description: String?
    public var iconUrl: String?
    public var metadata: JSONObject?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        type: ConversationType, participants: [ParticipantJoin]? = nil, displayName: String? = nil, description: String? = nil,
        iconUrl: String? = nil, metadata: JSONObject? = nil
    ) {
        self.type = type
        self.participants = participants
        self.displayName = displayName
        self.description = description
        self.iconUrl = iconUrl
        self.metadata = metadata
    }

    /// A personal conversation with one user.
    public static func personal(_ participant: ParticipantJoin, displayName: String? = nil, metadata: JSONObject? = nil) -> ConversationCreate {
        ConversationCreate(type: .personal, participants: [participant], displayName: displayName, metadata: metadata)
    }
}

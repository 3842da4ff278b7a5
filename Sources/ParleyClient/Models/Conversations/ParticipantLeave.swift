/// LeaveConversation's body: who leaves, by exactly one of `userId`, `userExternalId`, `participantId`.
public struct ParticipantLeave: Codable, Sendable, Hashable {
    public var userId: String?
    public var userExternalId: String?
    public var participantId: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(userId: String? = nil, userExternalId: String? = nil, participantId: String? = nil) {
        self.userId = userId
        self.userExternalId = userExternalId
        self.participantId = participantId
    }

    /// The user with this id.
    public static func userId(_ id: String) -> ParticipantLeave { ParticipantLeave(userId: id) }
    /// The user with this externalId.
    public static func userExternalId(_ id: String) -> ParticipantLeave { ParticipantLeave(userExternalId: id) }
    /// The participant with this id.
    public static func participantId(_ id: String) -> ParticipantLeave { ParticipantLeave(participantId: id) }
}

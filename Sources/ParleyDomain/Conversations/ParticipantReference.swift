/// How a body names a user taking part: `{userId}` or `{userExternalId}` (exactly one), or for
/// LeaveConversation also `{participantId}`.
public enum ParticipantReference: Hashable, Sendable {
    case userId(String)
    case userExternalId(String)
    case participantId(String)
}

/// The two kinds of conversation the API knows.
public enum ConversationType: String, Hashable, Sendable, Codable {
    /// One user and the business. Exactly one participant.
    case personal
    /// Several users (at most 10) and the business.
    case sdkGroup
}

/// Whose conversations ListConversations lists: exactly one user, by id or by externalId.
public enum ConversationFilter: Sendable, Hashable {
    /// `filter[userId]`.
    case userId(String)
    /// `filter[userExternalId]`.
    case userExternalId(String)

    var queryItem: QueryItem {
        switch self {
        case .userId(let id): QueryItem("filter[userId]", id)
        case .userExternalId(let id): QueryItem("filter[userExternalId]", id)
        }
    }
}

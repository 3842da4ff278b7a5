/// What never changes about a conversation while it exists: its id, its app and its type.
///
/// Why a type of its own: before its write, PostMessage needs only these (that the conversation is
/// the app's, and its type for `destination`), and they can be kept in memory without ever going
/// stale (`ConversationIdentities`). What can change (metadata, `lastUpdatedAt`, …) is read in the
/// write's own transaction instead (`MessageStore.appendMessage`).
public struct ConversationIdentity: Hashable, Sendable {
    public let id: ResourceID
    public let appId: ResourceID
    public let type: ConversationType

    public init(id: ResourceID, appId: ResourceID, type: ConversationType) {
        self.id = id
        self.appId = appId
        self.type = type
    }
}

extension Conversation {
    public var identity: ConversationIdentity {
        ConversationIdentity(id: id, appId: appId, type: type)
    }
}

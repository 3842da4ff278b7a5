/// Reads for `parley export`: everything of an app, in id order (creation order), a batch at a time.
public protocol ExportStore: Sendable {
    func exportUsers(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [User]
    func exportConversations(appId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Conversation]
    /// A conversation's messages, oldest first.
    func exportMessages(conversationId: ResourceID, after: ResourceID?, limit: Int) async throws -> [Message]
}

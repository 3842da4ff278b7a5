/// An app's users, conversations and messages, read a batch at a time and handed to `emit` in
/// order (`GET /admin/apps/{appId}/export`, `parley export`). Each batch is its own read, so a
/// large app never holds one transaction open: rows written meanwhile may or may not appear.
public struct ExportService: Sendable {
    private let store: any ExportStore & AppStore
    /// Rows per read.
    private let batchSize: Int

    public init(store: any ExportStore & AppStore, batchSize: Int = 500) {
        self.store = store
        self.batchSize = batchSize
    }

    /// 404 `app_not_found` before anything is emitted.
    public func app(_ appId: ResourceID) async throws -> App {
        guard let app = try await store.app(id: appId) else { throw ParleyError.notFound(.app) }
        return app
    }

    public func export(_ app: App, _ emit: (ExportRecord) async throws -> Void) async throws {
        try await emit(.app(app))
        var lastUser: ResourceID?
        while true {
            let users = try await store.exportUsers(appId: app.id, after: lastUser, limit: batchSize)
            for user in users { try await emit(.user(user)) }
            guard users.count == batchSize, let last = users.last?.id else { break }
            lastUser = last
        }
        var lastConversation: ResourceID?
        while true {
            let conversations = try await store.exportConversations(appId: app.id, after: lastConversation, limit: batchSize)
            for conversation in conversations {
                try await emit(.conversation(conversation))
                var lastMessage: ResourceID?
                while true {
                    let messages = try await store.exportMessages(conversationId: conversation.id, after: lastMessage, limit: batchSize)
                    for message in messages { try await emit(.message(message)) }
                    guard messages.count == batchSize, let last = messages.last?.id else { break }
                    lastMessage = last
                }
            }
            guard conversations.count == batchSize, let last = conversations.last?.id else { break }
            lastConversation = last
        }
    }
}

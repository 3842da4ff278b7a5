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
        try await inBatches({ try await store.exportUsers(appId: app.id, after: $0, limit: $1) }, id: \.id) { try await emit(.user($0)) }
        try await inBatches({ try await store.exportConversations(appId: app.id, after: $0, limit: $1) }, id: \.id) { conversation in
            try await emit(.conversation(conversation))
            try await inBatches({ try await store.exportMessages(conversationId: conversation.id, after: $0, limit: $1) }, id: \.id) {
                try await emit(.message($0))
            }
        }
    }

    /// Reads `batch` after the last id seen until a batch comes back short, handing each row to `each`.
    private func inBatches<Row>(
        _ batch: (ResourceID?, Int) async throws -> [Row], id: (Row) -> ResourceID, _ each: (Row) async throws -> Void
    ) async throws {
        var last: ResourceID?
        while true {
            let rows = try await batch(last, batchSize)
            for row in rows { try await each(row) }
            guard rows.count == batchSize, let end = rows.last.map(id) else { return }
            last = end
        }
    }
}

/// The agent inbox's list (docs/MESSENGER.md): an app's conversations by last activity, each
/// with its user and the channel they write from.
public struct InboxService: Sendable {
    public static let pageSize = 25

    /// One row of the list.
    public struct Row: Sendable {
        public var entry: InboxEntry
        public var user: User?
        /// The type of the user's newest active client: the channel a reply reaches them on
        /// (`web` for the messenger's `sdk` client).
        public var channel: String?
    }

    private let store: any InboxStore & UserStore & ClientStore & AppStore

    public init(store: any InboxStore & UserStore & ClientStore & AppStore) {
        self.store = store
    }

    /// The app an inbox session is signed into.
    public func app(_ appId: ResourceID) async throws -> App {
        guard let app = try await store.app(id: appId) else { throw ParleyError.notFound(.app) }
        return app
    }

    /// A page of rows and whether more follow.
    public func conversations(appId: ResourceID, search: String?, offset: Int) async throws -> (rows: [Row], hasMore: Bool) {
        guard offset >= 0, offset <= 100_000 else { throw ParleyError.badRequest("offset must be between 0 and 100000") }
        let search = search.flatMap { $0.isEmpty ? nil : $0 }
        if let search { try Rules.length(search, 1...100, field: "search") }
        let entries = try await store.inboxConversations(appId: appId, search: search, offset: offset, limit: Self.pageSize + 1)
        var rows: [Row] = []
        for entry in entries.prefix(Self.pageSize) {
            var row = Row(entry: entry, user: nil, channel: nil)
            if let userId = entry.userId {
                row.user = try await store.user(UserLookup(appId: appId, idOrExternalId: userId.rawValue))
                let clients = try await store.clients(userId: userId, page: PageRequest(size: PageRequest.sizeRange.upperBound)).items
                // An `sdk` client is the web messenger's (the only SDK Parley serves).
                row.channel = clients.last(where: { $0.status == .active }).map { $0.type == Client.sdkType ? MessengerService.integrationType : $0.type }
            }
            rows.append(row)
        }
        return (rows, entries.count > Self.pageSize)
    }
}

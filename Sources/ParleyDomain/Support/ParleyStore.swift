/// Everything a Parley server persists. Each store implementation (SQLite, PostgreSQL) conforms to
/// all of it and passes the one conformance suite in `Tests/ParleyStoreTests`.
public protocol ParleyStore: AppStore, KeyStore, UserStore, ConversationStore, MessageStore, IntegrationStore, EventStore, ClientStore {
    /// Applies pending schema migrations. Called once at start, never per request.
    func migrate() async throws
}

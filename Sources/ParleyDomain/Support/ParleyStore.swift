/// Everything a Parley server persists. Each store implementation (SQLite, PostgreSQL) conforms to
/// all of it and passes the one conformance suite in `Tests/ParleyStoreTests`.
public protocol ParleyStore: AppStore, KeyStore, UserStore, ConversationStore, MessageStore, IntegrationStore, EventStore, ClientStore, DeviceStore, SwitchboardStore, AttachmentStore, InboxStore, IdempotencyStore, RetentionStore, ExportStore, BacklogStore, OAuthStore {
    /// Applies pending schema migrations. Called once at start, never per request.
    func migrate() async throws
    /// Runs `work` (start-up's account key and sealing, a CLI command, a test's reads) with the
    /// store migrated and reachable. A store several nodes share runs it under a lock, so nodes
    /// starting together migrate one after another.
    func startUp<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T
    /// Where the realtime hub hears that conversation events have committed.
    var eventFeed: any EventFeed { get }
}

/// The deletions retention makes. Each removes at most `limit` rows, oldest first, in one short
/// transaction, so a sweep of a large backlog never holds the writer for long.
public protocol RetentionStore: Sendable {
    /// Events created before `before` that no delivery still waits on, with their deliveries.
    /// Each conversation's newest event stays, so its events go on being numbered after it (a
    /// realtime client's cursor never sees a number again).
    func pruneEvents(createdBefore before: Timestamp, limit: Int) async throws -> Int
    /// Deliveries delivered before `before`.
    func pruneDeliveredDeliveries(before: Timestamp, limit: Int) async throws -> Int
    /// Channel jobs finished (sent or given up) and last tried before `before`.
    func pruneChannelJobs(finishedBefore before: Timestamp, limit: Int) async throws -> Int
    /// Deletes every message, and so every attachment of a message, of conversations of `appId`
    /// whose last activity is before `before` (checked again as each is cleared, so a message
    /// posted meanwhile keeps its conversation). Returns how many conversations were cleared.
    func clearInactiveConversations(appId: ResourceID, inactiveBefore before: Timestamp, limit: Int) async throws -> Int
}

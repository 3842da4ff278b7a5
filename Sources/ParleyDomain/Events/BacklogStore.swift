/// Counts over the outbox for monitoring; read when `/metrics` is scraped, by index.
public protocol BacklogStore: Sendable {
    func outboxBacklog() async throws -> OutboxBacklog
}

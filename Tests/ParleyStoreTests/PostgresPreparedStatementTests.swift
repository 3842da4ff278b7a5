import Foundation
import ParleyDomain
@testable import ParleyPostgres
import ParleyTestSupport
import PostgresNIO
import Testing

/// The post's statements are prepared once per connection (`PreparedSQL`); a node keeps them
/// while another node migrates the schema under it.
@Suite("PostgreSQL: prepared statements", .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL to run"))
struct PostgresPreparedStatementTests {
    let ids = ResourceIDGenerator()

    @Test("Columns added to the tables a post writes, while the node runs, do not stop its posts")
    func columnsAddedUnderARunningNode() async throws {
        let url = try PostgresURL(try await PostgresTestDatabase.make())
        let store = try await StoreFactory.startedPostgresStore(url: url)
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let integrationId = ids.next()
        let webhook = Webhook(
            id: ids.next(), integrationId: integrationId, target: "http://127.0.0.1:9/", triggers: [.conversationMessage],
            secret: SealedSecret(hash: [], sealed: Array("s".utf8)))
        try await store.insertIntegration(Integration(id: integrationId, appId: app.id, type: "custom", settings: [:], secrets: nil, webhooks: [webhook]))
        let now = Timestamp.now()
        let conversation = try await store.insertConversation(
            Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: now, createdAt: now), participants: [], events: { _ in [] })

        // Several at once, so that every connection of the pool (3) prepares the statements.
        try await postConcurrently(6, store, app: app, conversation: conversation)
        try await PostgresNodeCacheTests.admin(url) { connection in
            for table in ["conversations", "messages", "events", "deliveries"] {
                try await connection.run(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) ADD COLUMN added_later TEXT"))
            }
        }
        try await postConcurrently(6, store, app: app, conversation: conversation)

        let numbers = try await PostgresNodeCacheTests.admin(url) { connection in
            try await connection.rows("SELECT conversation_seq FROM events WHERE conversation_id = \(conversation.id.rawValue) ORDER BY seq")
                .map { try $0("conversation_seq", as: Int64.self) }
        }
        #expect(numbers == Array(1...12))
        let deliveries = try await PostgresNodeCacheTests.admin(url) { connection in
            try await connection.rows("SELECT 1 FROM deliveries WHERE webhook_id = \(webhook.id.rawValue)").count
        }
        #expect(deliveries == 12)
    }

    func postConcurrently(_ count: Int, _ store: PostgresStore, app: App, conversation: Conversation) async throws {
        try await withThrowingTaskGroup(of: Message?.self) { group in
            for _ in 0..<count {
                let message = Message(
                    id: ids.next(), conversationId: conversation.id, received: .now(), author: MessageAuthor(type: .business),
                    content: .object(["type": .string("text"), "text": .string("hi")]), source: .api)
                let eventId = ids.next()
                group.addTask {
                    try await store.appendMessage(message, limit: 1_000) { message, conversation in
                        [OutboxEvent(
                            id: eventId, appId: app.id, type: .conversationMessage, conversationId: message.conversationId, createdAt: .now(),
                            payload: .message(message, conversation, user: nil))]
                    }
                }
            }
            for try await posted in group { #expect(posted != nil) }
        }
    }
}

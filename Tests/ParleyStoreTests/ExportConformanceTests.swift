import ParleyDomain
import Synchronization
import Testing

/// `ExportService` over each engine: every row once, in order, across batch boundaries.
@Suite("Store conformance: export")
struct ExportConformanceTests {
    @Test("Users, then each conversation with its messages oldest first, read in batches smaller than the data", arguments: StoreFactory.all)
    func batches(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let ids = ResourceIDGenerator()
        let app = App(id: ids.next(), displayName: "App")
        let other = App(id: ids.next(), displayName: "Other")
        try await store.insertApp(app)
        try await store.insertApp(other)
        var users: [ResourceID] = []
        for index in 0..<5 {
            let user = User(id: ids.next(), appId: app.id, externalId: "u\(index)", signedUpAt: .now())
            try await store.insertUser(user)
            users.append(user.id)
        }
        try await store.insertUser(User(id: ids.next(), appId: other.id, externalId: "elsewhere", signedUpAt: .now()))
        var expected: [String] = []
        for _ in 0..<3 {
            let now = Timestamp.now()
            let conversation = try await store.insertConversation(
                Conversation(id: ids.next(), appId: app.id, type: .sdkGroup, lastUpdatedAt: now, createdAt: now), participants: [], events: { _ in [] })
            expected.append("c:\(conversation.id)")
            for index in 0..<5 {
                let message = Message(
                    id: ids.next(), conversationId: conversation.id, received: now, author: MessageAuthor(type: .business),
                    content: .object(["type": .string("text"), "text": .string("m\(index)")]), source: .api)
                _ = try await store.appendMessage(message, limit: 100) { _, _ in [] }
                expected.append("m:\(message.id)")
            }
        }
        let seen = Mutex<[String]>([])
        try await ExportService(store: store, batchSize: 2).export(app) { record in
            let line: String
            switch record {
            case .app(let app): line = "a:\(app.id)"
            case .user(let user): line = "u:\(user.id)"
            case .conversation(let conversation): line = "c:\(conversation.id)"
            case .message(let message): line = "m:\(message.id)"
            }
            seen.withLock { $0.append(line) }
        }
        #expect(seen.withLock { $0 } == ["a:\(app.id)"] + users.map { "u:\($0)" } + expected)
    }
}

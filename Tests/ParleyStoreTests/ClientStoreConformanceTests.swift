import Foundation
import ParleyDomain
import Testing

/// Clients and channel jobs: the outbox contract the channel dispatcher relies on.
@Suite("Store conformance: clients and channel jobs")
struct ClientStoreConformanceTests {
    let ids = ResourceIDGenerator()

    struct Fixture {
        let store: any ParleyStore
        let app: App
        let user: User
        let integration: Integration
        let conversation: Conversation
    }

    func fixture(_ factory: StoreFactory) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let user = User(id: ids.next(), appId: app.id, externalId: "steve", signedUpAt: .now())
        try await store.insertUser(user)
        let integration = Integration(id: ids.next(), appId: app.id, type: "mailgun", settings: [:], secrets: nil)
        try await store.insertIntegration(integration)
        let now = Timestamp.now()
        let conversation = try await store.insertConversation(
            Conversation(id: ids.next(), appId: app.id, type: .personal, lastUpdatedAt: now, createdAt: now),
            participants: [], events: { _ in [] })
        return Fixture(store: store, app: app, user: user, integration: integration, conversation: conversation)
    }

    func pending(_ fixture: Fixture, primary: Bool = true, activates: Bool = true) -> (Client, ChannelJob) {
        let client = Client(
            id: ids.next(), appId: fixture.app.id, userId: fixture.user.id, type: "mailgun", integrationId: fixture.integration.id,
            externalId: "steve@example.com", conversationId: fixture.conversation.id, primary: primary)
        let job = ChannelJob(
            id: ids.next(), appId: fixture.app.id, integrationId: fixture.integration.id, clientId: client.id, activatesClient: activates,
            payload: ["to": "steve@example.com", "text": "Hello!"])
        return (client, job)
    }

    @Test("A client, its job and a new participant are written together; the job is due at once", arguments: StoreFactory.all)
    func insert(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (client, job) = pending(fixture)
        let participant = Participant(id: ids.next(), conversationId: fixture.conversation.id, userId: fixture.user.id)
        try await fixture.store.insertClient(client, job: job, participant: participant, events: [])
        #expect(try await fixture.store.client(id: client.id) == client)
        #expect(try await fixture.store.participant(conversationId: fixture.conversation.id, userId: fixture.user.id) != nil)
        #expect(try await fixture.store.dueChannelJobs(now: .now(), limit: 10) == [job])
        let page = try await fixture.store.clients(userId: fixture.user.id, page: PageRequest())
        #expect(page.items == [client])
    }

    @Test("Delivery activates the client and puts a primary one first in clientAssociations", arguments: StoreFactory.all)
    func activate(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let participant = Participant(
            id: ids.next(), conversationId: fixture.conversation.id, userId: fixture.user.id,
            clientAssociations: [ClientAssociation(type: "twilio", clientId: "other")])
        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(client, job: job, participant: participant, events: [])
        let at = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        try await fixture.store.recordChannelJob(job, outcome: DeliveryOutcome(state: .delivered, at: at, statusCode: 200), effect: .activate(at: at)) { _ in [] }
        let stored = try #require(try await fixture.store.client(id: client.id))
        #expect(stored.status == .active && stored.linkedAt == at)
        let associations = try #require(try await fixture.store.participant(conversationId: fixture.conversation.id, userId: fixture.user.id)).clientAssociations
        #expect(associations.map(\.clientId) == [client.id.rawValue, "other"])
        #expect(try await fixture.store.dueChannelJobs(now: .now(), limit: 10).isEmpty)
        #expect(try await fixture.store.channelJob(id: job.id)?.state == .delivered)
    }

    @Test("A pending retry waits; a final failure removes the client and keeps the job's error", arguments: StoreFactory.all)
    func failure(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(client, job: job, participant: nil, events: [])
        let now = Timestamp.now()
        let later = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 60_000)
        try await fixture.store.recordChannelJob(
            job, outcome: DeliveryOutcome(state: .pending, at: now, statusCode: 500, error: "HTTP 500", nextAttemptAt: later), effect: .unchanged) { _ in [] }
        #expect(try await fixture.store.dueChannelJobs(now: now, limit: 10).isEmpty)
        let retried = try #require(try await fixture.store.dueChannelJobs(now: later, limit: 10).first)
        #expect(retried.attempts == 1)
        try await fixture.store.recordChannelJob(
            retried, outcome: DeliveryOutcome(state: .dead, at: later, statusCode: 400, error: "HTTP 400"), effect: .remove) { _ in [] }
        #expect(try await fixture.store.client(id: client.id) == nil)
        let record = try #require(try await fixture.store.channelJob(id: job.id))
        #expect(record.state == .dead && record.lastStatusCode == 400 && record.lastError == "HTTP 400")
    }

    @Test("Deleting a client; deleting its user deletes it too", arguments: StoreFactory.all)
    func delete(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (first, firstJob) = pending(fixture)
        let (second, secondJob) = pending(fixture)
        try await fixture.store.insertClient(first, job: firstJob, participant: nil, events: [])
        try await fixture.store.insertClient(second, job: secondJob, participant: nil, events: [])
        #expect(try await fixture.store.deleteClient(id: first.id, events: { _ in [] }))
        #expect(try await fixture.store.deleteClient(id: first.id, events: { _ in [] }) == false)
        _ = try await fixture.store.deleteUser(UserLookup(appId: fixture.app.id, idOrExternalId: fixture.user.id.rawValue), events: { _ in [] })
        #expect(try await fixture.store.client(id: second.id) == nil)
    }
}

import Foundation
import ParleyDomain
import Synchronization
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

    /// The clients a business message's write hands its channel-jobs closure: the conversation's
    /// active clients, read in that write's own transaction. Posts one message that queues nothing.
    func activeClients(_ fixture: Fixture) async throws -> [Client] {
        let seen = Mutex<[Client]?>(nil)
        let message = Message(
            id: ids.next(), conversationId: fixture.conversation.id, received: .now(), author: MessageAuthor(type: .business),
            content: .object(["type": .string("text"), "text": .string("Hello")]), source: .api)
        _ = try await fixture.store.appendMessage(message, limit: 100, channelJobs: { clients in
            seen.withLock { $0 = clients }
            return []
        }, events: { _, _ in [] })
        return try #require(seen.withLock { $0 })
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
        try await fixture.store.recordChannelJob(job, outcome: DeliveryOutcome(state: .delivered, at: at, statusCode: 200), effect: .activate(ClientActivation(at: at))) { _ in [] }
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

    @Test("Clients are found by address and by conversation; an active client is associated at insert", arguments: StoreFactory.all)
    func lookups(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let participant = Participant(id: ids.next(), conversationId: fixture.conversation.id, userId: fixture.user.id)
        let (pendingClient, job) = pending(fixture)
        try await fixture.store.insertClient(pendingClient, job: job, participant: participant, events: [])
        var active = pending(fixture).0
        active.status = .active
        active.primary = false
        try await fixture.store.insertClient(active, job: nil, participant: nil, events: [])
        #expect(try await fixture.store.clients(integrationId: fixture.integration.id, externalId: "steve@example.com").map(\.id)
            == [active.id, pendingClient.id])
        #expect(try await fixture.store.clients(integrationId: fixture.integration.id, externalId: "other@example.com").isEmpty)
        #expect(try await activeClients(fixture) == [active])
        let associations = try #require(try await fixture.store.participant(conversationId: fixture.conversation.id, userId: fixture.user.id))
            .clientAssociations
        #expect(associations == [ClientAssociation(type: "mailgun", clientId: active.id.rawValue)])
        #expect(try await fixture.store.dueChannelJobs(now: .now(), limit: 10) == [job])
    }

    @Test("Activation takes the address from other users' clients in the same transaction", arguments: StoreFactory.all)
    func theft(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let other = User(id: ids.next(), appId: fixture.app.id, externalId: "other", signedUpAt: .now())
        try await fixture.store.insertUser(other)
        var owned = pending(fixture).0
        owned.userId = other.id
        owned.status = .active
        owned.conversationId = nil
        try await fixture.store.insertClient(owned, job: nil, participant: nil, events: [])
        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(
            client, job: job, participant: Participant(id: ids.next(), conversationId: fixture.conversation.id, userId: fixture.user.id), events: [])
        let at = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        let event = OutboxEvent(id: ids.next(), appId: fixture.app.id, type: .clientUpdate, conversationId: nil, createdAt: at, payload: .userUpdated(fixture.user))
        let activated = try #require(try await fixture.store.activateClient(id: client.id, ClientActivation(at: at, displaced: [owned.id])) { _ in [event] })
        #expect(activated.status == .active && activated.linkedAt == at)
        #expect(try await fixture.store.client(id: owned.id) == nil)
        // Only a pending client can be activated.
        #expect(try await fixture.store.activateClient(id: client.id, ClientActivation(at: at)) { _ in [] } == nil)
        #expect(try await activeClients(fixture).map(\.id) == [client.id])
    }

    @Test("A merge folds the anonymous user into the link's user: participations, authorship (with its files) and the client move", arguments: StoreFactory.all)
    func merge(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let now = Timestamp.now()
        // A stranger wrote in: anonymous user, personal conversation, active client, a message.
        let stranger = User(id: ids.next(), appId: fixture.app.id, signedUpAt: now)
        try await fixture.store.insertUser(stranger)
        let strangerConversationId = ids.next()
        let strangerConversation = try await fixture.store.insertConversation(
            Conversation(id: strangerConversationId, appId: fixture.app.id, type: .personal, lastUpdatedAt: now, createdAt: now),
            participants: [Participant(id: ids.next(), conversationId: strangerConversationId, userId: stranger.id)], events: { _ in [] })
        var existing = pending(fixture).0
        existing.userId = stranger.id
        existing.status = .active
        existing.conversationId = strangerConversation.id
        try await fixture.store.insertClient(existing, job: nil, participant: nil, events: [])
        // The stranger's email had a photo: a file of that message.
        let photo = Attachment(
            token: AttachmentToken.random(), appId: fixture.app.id, forMessage: true, mediaType: "image/png", fileName: "a.png", size: 1,
            digest: "d", createdAt: now)
        try await fixture.store.insertAttachment(photo)
        let message = Message(
            id: ids.next(), conversationId: strangerConversation.id, received: now,
            author: MessageAuthor(type: .user, userId: stranger.id.rawValue), content: .object(["type": .string("text"), "text": .string("Hi")]),
            source: MessageSource(type: "mailgun"), attachments: [photo.token])
        _ = try await fixture.store.appendMessage(message, limit: 10, events: { _, _ in [] })

        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(
            client, job: job, participant: Participant(id: ids.next(), conversationId: fixture.conversation.id, userId: fixture.user.id), events: [])
        let at = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        let activation = ClientActivation(at: at, merge: UserMerge(discardedUserId: stranger.id, survivingClientId: existing.id))
        let survivor = try #require(try await fixture.store.activateClient(id: client.id, activation) { _ in [] })

        #expect(survivor.id == existing.id && survivor.userId == fixture.user.id && survivor.conversationId == fixture.conversation.id)
        #expect(survivor.status == .active)
        #expect(try await fixture.store.client(id: client.id) == nil)
        #expect(try await fixture.store.user(UserLookup(appId: fixture.app.id, idOrExternalId: stranger.id.rawValue)) == nil)
        #expect(try await fixture.store.participant(conversationId: strangerConversation.id, userId: fixture.user.id) != nil)
        let messages = try await fixture.store.messages(conversationId: strangerConversation.id, page: PageRequest())
        #expect(messages.items.map(\.author.userId) == [fixture.user.id.rawValue])
        // The photo moved with its message, and goes with the user it now belongs to.
        #expect(try await fixture.store.attachment(token: photo.token) != nil)
        #expect(try await fixture.store.deleteAttachments(appId: fixture.app.id, userId: fixture.user.id) == 1)
        let associations = try #require(try await fixture.store.participant(conversationId: fixture.conversation.id, userId: fixture.user.id))
            .clientAssociations
        #expect(associations.map(\.clientId) == [existing.id.rawValue])
        #expect(try await fixture.store.participant(conversationId: strangerConversation.id, userId: fixture.user.id)?.clientAssociations == [])
    }

    @Test("A message's channel jobs commit with it; a repeated external key is refused and writes nothing", arguments: StoreFactory.all)
    func deliveries(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let now = Timestamp.now()
        func message(_ key: String?) -> Message {
            Message(
                id: ids.next(), conversationId: fixture.conversation.id, received: now, author: MessageAuthor(type: .business),
                content: .object(["type": .string("text"), "text": .string("Hello")]), source: .api, externalKey: key)
        }
        let first = message("mailgun:x:<1@example.com>")
        let job = ChannelJob(
            id: ids.next(), appId: fixture.app.id, integrationId: fixture.integration.id, clientId: ids.next(), activatesClient: false,
            payload: ["to": "steve@example.com", "text": "Hello"], messageId: first.id, conversationId: fixture.conversation.id)
        _ = try await fixture.store.appendMessage(first, limit: 10, channelJobs: { _ in [job] }, events: { _, _ in [] })
        #expect(try await fixture.store.dueChannelJobs(now: now, limit: 10) == [job])
        let repeated = message("mailgun:x:<1@example.com>")
        await #expect(throws: ParleyError.self) {
            _ = try await fixture.store.appendMessage(repeated, limit: 10, events: { _, _ in [] })
        }
        let stored = try await fixture.store.messages(conversationId: fixture.conversation.id, page: PageRequest())
        #expect(stored.items.map(\.id) == [first.id])
        #expect(stored.items.first?.externalKey == "mailgun:x:<1@example.com>")
    }

    @Test("Pending clients of one confirmation type are found by age", arguments: StoreFactory.all)
    func pendingByAge(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        var prompt = pending(fixture).0
        prompt.confirmation = .prompt
        try await fixture.store.insertClient(prompt, job: nil, participant: nil, events: [])
        var other = pending(fixture).0
        other.confirmation = .userActivity
        try await fixture.store.insertClient(other, job: nil, participant: nil, events: [])
        let later = Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + 1000)
        #expect(try await fixture.store.pendingClients(confirmation: .prompt, createdBefore: later, limit: 10) == [prompt])
        #expect(try await fixture.store.pendingClients(confirmation: .prompt, createdBefore: Timestamp(millisecondsSince1970: 0), limit: 10).isEmpty)
        _ = try await fixture.store.activateClient(id: prompt.id, ClientActivation(at: .now())) { _ in [] }
        #expect(try await fixture.store.pendingClients(confirmation: .prompt, createdBefore: later, limit: 10).isEmpty)
    }

    @Test("An opt-out blocks an active client, which then receives nothing; an opt-in unblocks it; other states are left alone", arguments: StoreFactory.all)
    func blockAndUnblock(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        var client = pending(fixture).0
        client.status = .active
        try await fixture.store.insertClient(client, job: nil, participant: nil, events: [])
        #expect(try await activeClients(fixture).map(\.id) == [client.id])

        let seen = Mutex<[Client.Status]>([])
        let blocked = try await fixture.store.changeClientStatus(id: client.id, from: .active, to: .blocked) { changed in
            seen.withLock { $0.append(changed.status) }
            return []
        }
        #expect(blocked?.status == .blocked && seen.withLock { $0 } == [.blocked])
        #expect(try await fixture.store.client(id: client.id)?.status == .blocked)
        #expect(try await activeClients(fixture).isEmpty)
        // Blocked already: a second opt-out changes nothing.
        #expect(try await fixture.store.changeClientStatus(id: client.id, from: .active, to: .blocked) { _ in [] } == nil)
        #expect(try await fixture.store.changeClientStatus(id: client.id, from: .blocked, to: .active) { _ in [] }?.status == .active)
        #expect(try await activeClients(fixture).map(\.id) == [client.id])
        #expect(try await fixture.store.changeClientStatus(id: ids.next(), from: .active, to: .blocked) { _ in [] } == nil)
    }

    @Test("A channel's report on a job is recorded once; repeats and unknown jobs record nothing", arguments: StoreFactory.all)
    func reportOnce(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(client, job: job, participant: nil, events: [])
        #expect(try await fixture.store.recordChannelReport(jobId: job.id, events: []))
        #expect(try await fixture.store.recordChannelReport(jobId: job.id, events: []) == false)
        #expect(try await fixture.store.recordChannelReport(jobId: ids.next(), events: []) == false)
    }

    @Test("A job the provider accepted is found by the provider's id for the message, within its integration only", arguments: StoreFactory.all)
    func jobByExternalId(factory: StoreFactory) async throws {
        let fixture = try await fixture(factory)
        let (client, job) = pending(fixture)
        try await fixture.store.insertClient(client, job: job, participant: nil, events: [])
        #expect(try await fixture.store.channelJob(integrationId: job.integrationId, externalMessageId: "wamid.HBgL1") == nil)
        var outcome = DeliveryOutcome(state: .delivered, at: .now(), statusCode: 200)
        outcome.externalMessageId = "wamid.HBgL1"
        try await fixture.store.recordChannelJob(job, outcome: outcome, effect: .unchanged) { _ in [] }
        #expect(try await fixture.store.channelJob(integrationId: job.integrationId, externalMessageId: "wamid.HBgL1")?.job.id == job.id)
        #expect(try await fixture.store.channelJob(integrationId: ids.next(), externalMessageId: "wamid.HBgL1") == nil)
        #expect(try await fixture.store.channelJob(integrationId: job.integrationId, externalMessageId: "wamid.other") == nil)
    }
}

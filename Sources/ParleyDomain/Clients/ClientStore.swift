/// Persistence of clients and of the channel jobs that link them.
public protocol ClientStore: Sendable {
    /// Inserts the client, its channel job (if any) and (when the user joins the target
    /// conversation to be linked there) the new participant, with the events, in one transaction.
    /// A client inserted `active` is associated with its conversation at once.
    func insertClient(_ client: Client, job: ChannelJob?, participant: Participant?, events: [OutboxEvent]) async throws
    func client(id: ResourceID) async throws -> Client?
    /// A user's clients in creation order, whatever their status.
    func clients(userId: ResourceID, page: PageRequest) async throws -> Page<Client>
    /// Every client of an integration on one address or number (`externalId`, compared exactly;
    /// the domain stores email addresses lowercased), newest first, whatever their status.
    func clients(integrationId: ResourceID, externalId: String) async throws -> [Client]
    /// Pending clients waiting for the user by one confirmation type, created before `before`
    /// (their ids sort below `ResourceID.earliest(at: before)`), oldest first.
    func pendingClients(confirmation: Client.Confirmation, createdBefore before: Timestamp, limit: Int) async throws -> [Client]
    /// Activates a pending client (an inbound reply confirmed it), applying the activation's theft
    /// or merge, with the events, in one transaction. `events` receives the client that is now the
    /// active one (the surviving client of a merge). Nil, and nothing written, when the client is
    /// gone or no longer pending.
    func activateClient(id: ResourceID, _ activation: ClientActivation, events: @escaping @Sendable (Client) -> [OutboxEvent]) async throws -> Client?
    /// Moves a client from `from` to `to` (a user's opt-out blocks an active client, an opt-in
    /// unblocks it) with the events, in one transaction. Nil, and nothing written, when the client
    /// is gone or not in `from`.
    func changeClientStatus(
        id: ResourceID, from: Client.Status, to: Client.Status, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws -> Client?
    /// Deletes the client; false when there was none.
    func deleteClient(id: ResourceID, events: @escaping @Sendable (Client) -> [OutboxEvent]) async throws -> Bool

    /// Pending jobs due at `now`, oldest first.
    func dueChannelJobs(now: Timestamp, limit: Int) async throws -> [ChannelJob]
    /// Records an attempt and applies its effect to the client in one transaction; `events`
    /// receives the client as changed (or as removed; the surviving client of a merge) and is
    /// recorded whatever the effect, but is not called when the client is gone or the attempt was
    /// recorded already.
    func recordChannelJob(
        _ job: ChannelJob, outcome: DeliveryOutcome, effect: ChannelJobEffect, events: @escaping @Sendable (Client) -> [OutboxEvent]
    ) async throws
    /// Records a channel's later report on a job it accepted (delivered to the user, or failed)
    /// with its events, once: a provider's repeat of a report, or a second report, records
    /// nothing and answers false.
    func recordChannelReport(jobId: ResourceID, events: [OutboxEvent]) async throws -> Bool
    /// A job's state, for tests and diagnostics.
    func channelJob(id: ResourceID) async throws -> ChannelJobRecord?
    /// The job an integration's provider accepted under `externalMessageId` (the newest, should a
    /// provider reuse ids), for reports that name only the provider's id.
    func channelJob(integrationId: ResourceID, externalMessageId: String) async throws -> ChannelJobRecord?
}

/// A channel job as stored, with its delivery state.
public struct ChannelJobRecord: Hashable, Sendable {
    public var job: ChannelJob
    public var state: DeliveryOutcome.State
    public var lastStatusCode: Int?
    public var lastError: String?

    public init(job: ChannelJob, state: DeliveryOutcome.State, lastStatusCode: Int?, lastError: String?) {
        self.job = job
        self.state = state
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
    }
}

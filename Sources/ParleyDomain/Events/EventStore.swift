/// The outbox and its delivery state.
public protocol EventStore: Sendable {
    /// For each webhook whose oldest pending delivery is due at `now`, that delivery and the ones
    /// queued behind it (oldest first, at most `batchSize`). Per webhook, events go out strictly
    /// in commit order, so one conversation's events can never overtake each other.
    func dueBatches(now: Timestamp, batchSize: Int, limit: Int) async throws -> [DeliveryBatch]
    /// Records events that change no stored state (a channel's report that a message reached the
    /// user), fanned out to subscribed webhooks like every other event.
    func recordEvents(_ events: [OutboxEvent]) async throws
    /// Records an attempt's outcome for every event of a batch.
    func recordAttempt(_ batch: DeliveryBatch, outcome: DeliveryOutcome) async throws
    /// Recent deliveries of a webhook, newest first (Parley's extension to the API).
    func deliveries(webhookId: ResourceID, limit: Int) async throws -> [DeliveryRecord]
    /// Queues events of a webhook again: one event, or every event created at or after `since`.
    /// Returns how many were queued.
    func redeliver(webhookId: ResourceID, eventId: ResourceID?, since: Timestamp?, now: Timestamp) async throws -> Int
    /// A conversation's events numbered above `after`, in sequence order, at most `limit`.
    func conversationEvents(conversationId: ResourceID, after: Int64, limit: Int) async throws -> [SequencedEvent]
    /// The highest sequence number among the conversation's events; 0 when it has none.
    func latestConversationSeq(conversationId: ResourceID) async throws -> Int64
}

/// Events waiting for one webhook.
public struct DeliveryBatch: Hashable, Sendable {
    public var webhook: Webhook
    public var appId: ResourceID
    public var events: [RecordedEvent]
    /// Attempts already made for the oldest event of the batch.
    public var attempts: Int

    public init(webhook: Webhook, appId: ResourceID, events: [RecordedEvent], attempts: Int) {
        self.webhook = webhook
        self.appId = appId
        self.events = events
        self.attempts = attempts
    }
}

/// What an attempt came to.
public struct DeliveryOutcome: Hashable, Sendable {
    public enum State: String, Sendable {
        case delivered, pending, dead
    }

    public var state: State
    public var at: Timestamp
    /// The receiver's status code, when it answered.
    public var statusCode: Int?
    public var error: String?
    /// When to try again (for `pending`).
    public var nextAttemptAt: Timestamp?
    /// The channel's id for the message it accepted (kept with a channel job, whose later reports
    /// name it).
    public var externalMessageId: String?

    public init(state: State, at: Timestamp, statusCode: Int? = nil, error: String? = nil, nextAttemptAt: Timestamp? = nil) {
        self.state = state
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }
}

/// One event's delivery to one webhook, as the deliveries API shows it.
public struct DeliveryRecord: Hashable, Sendable {
    public var eventId: ResourceID
    public var type: EventType
    public var createdAt: Timestamp
    public var state: DeliveryOutcome.State
    public var attempts: Int
    public var lastAttemptAt: Timestamp?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var nextAttemptAt: Timestamp?

    public init(
        eventId: ResourceID, type: EventType, createdAt: Timestamp, state: DeliveryOutcome.State, attempts: Int, lastAttemptAt: Timestamp?,
        lastStatusCode: Int?, lastError: String?, nextAttemptAt: Timestamp?
    ) {
        self.eventId = eventId
        self.type = type
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.lastAttemptAt = lastAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
    }
}

/// One message a channel connector must send, queued in the same transaction as the change that
/// needs it (the outbox pattern of webhook deliveries). Today: a client's confirmation message.
public struct ChannelJob: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    public var integrationId: ResourceID
    /// The client the job links; the job outlives a removed client so its error stays readable.
    public var clientId: ResourceID
    /// `immediate` confirmations activate the client once the channel accepts the message.
    public var activatesClient: Bool
    /// What the connector sends: `to`, `subject`, `text`, optionally `htmlText` and `mediaUrl`.
    public var payload: [String: String]
    /// Attempts already made.
    public var attempts: Int

    public init(
        id: ResourceID, appId: ResourceID, integrationId: ResourceID, clientId: ResourceID, activatesClient: Bool,
        payload: [String: String], attempts: Int = 0
    ) {
        self.id = id
        self.appId = appId
        self.integrationId = integrationId
        self.clientId = clientId
        self.activatesClient = activatesClient
        self.payload = payload
        self.attempts = attempts
    }

    /// False when CreateClient gave no confirmation message: there is nothing to send, and the
    /// job only completes the link.
    public var hasMessage: Bool {
        payload["text"] != nil || payload["htmlText"] != nil || payload["mediaUrl"] != nil
    }
}

/// What a finished job does to its client, decided by the domain and applied by the store in the
/// transaction that records the attempt.
public enum ChannelJobEffect: Hashable, Sendable {
    /// Nothing changes (a retry is pending, or the confirmation does not activate).
    case unchanged
    /// The client becomes active, linked at this time, and is associated with its conversation.
    case activate(at: Timestamp)
    /// The link failed for good: the pending client is removed.
    case remove
}

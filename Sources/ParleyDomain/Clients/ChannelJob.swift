/// One message a channel connector must send, queued in the same transaction as the change that
/// needs it (the outbox pattern of webhook deliveries): a client's confirmation message, or a
/// business message delivered to the user's client.
public struct ChannelJob: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    public var integrationId: ResourceID
    /// The client the job links or delivers to; the job outlives a removed client so its error stays readable.
    public var clientId: ResourceID
    /// `immediate` confirmations activate the client once the channel accepts the message.
    public var activatesClient: Bool
    /// What the connector sends: `to`, `subject`, `text`, optionally `htmlText` and `mediaUrl`.
    public var payload: [String: String]
    /// Attempts already made.
    public var attempts: Int
    /// Set for a delivery: the conversation message the job carries to the user.
    public var messageId: ResourceID?
    /// The conversation replies belong to: the link's target, or the delivered message's conversation.
    public var conversationId: ResourceID?

    public init(
        id: ResourceID, appId: ResourceID, integrationId: ResourceID, clientId: ResourceID, activatesClient: Bool,
        payload: [String: String], attempts: Int = 0, messageId: ResourceID? = nil, conversationId: ResourceID? = nil
    ) {
        self.id = id
        self.appId = appId
        self.integrationId = integrationId
        self.clientId = clientId
        self.activatesClient = activatesClient
        self.payload = payload
        self.attempts = attempts
        self.messageId = messageId
        self.conversationId = conversationId
    }

    /// False when CreateClient gave no confirmation message: there is nothing to send, and the
    /// job only completes the link.
    public var hasMessage: Bool {
        payload["text"] != nil || payload["htmlText"] != nil || payload["mediaUrl"] != nil
    }
}

/// What a finished job (or an inbound reply) does to its client, decided by the domain and applied
/// by the store in the transaction that records it.
public enum ChannelJobEffect: Hashable, Sendable {
    /// Nothing changes (a retry is pending, the confirmation does not activate, or the job was a delivery).
    case unchanged
    /// The pending client becomes active.
    case activate(ClientActivation)
    /// The link failed for good: the pending client is removed.
    case remove
}

/// How a pending client becomes active. The address may already belong to other clients: those of
/// identified users are taken from them (`displaced`, reason `theft`); a client of an anonymous user
/// (one Parley made from a stranger's email) instead merges that user into the client's user.
public struct ClientActivation: Hashable, Sendable {
    public var at: Timestamp
    /// Clients of other users on the same address, removed in the same transaction.
    public var displaced: [ResourceID]
    public var merge: UserMerge?

    public init(at: Timestamp, displaced: [ResourceID] = [], merge: UserMerge? = nil) {
        self.at = at
        self.displaced = displaced
        self.merge = merge
    }
}

/// An anonymous user folded into the user a channel link is for. The anonymous user's existing
/// client on the address survives (moved to the surviving user and to the link's conversation);
/// the pending client is discarded; the anonymous user's conversations, participations and message
/// authorship move to the surviving user; the anonymous user is deleted.
public struct UserMerge: Hashable, Sendable {
    public var discardedUserId: ResourceID
    public var survivingClientId: ResourceID

    public init(discardedUserId: ResourceID, survivingClientId: ResourceID) {
        self.discardedUserId = discardedUserId
        self.survivingClientId = survivingClientId
    }
}

/// A user's presence on a channel (an email address, a phone number) that messages can be
/// delivered to. Created `pending` by CreateClient; the channel's confirmation makes it `active`.
public struct Client: Hashable, Sendable {
    public enum Status: String, Sendable {
        case active, blocked, inactive, pending
    }

    /// How a pending client becomes active: CreateClient's `confirmation.type`, or `inbound` for
    /// a client Parley made from a stranger's first message.
    public enum Confirmation: String, Sendable, CaseIterable {
        case immediate, userActivity, prompt, inbound
    }

    /// The type of a user's one client for every SDK integration (the web messenger's devices).
    public static let sdkType = "sdk"

    public var id: ResourceID
    public var appId: ResourceID
    public var userId: ResourceID
    /// The channel type (`mailgun`, `twilio`, …); equal to the integration's type.
    public var type: String
    public var status: Status
    public var integrationId: ResourceID
    /// The user's id on the channel: the address or the normalised phone number.
    public var externalId: String
    public var displayName: String?
    public var linkedAt: Timestamp?
    public var lastSeen: Timestamp?
    /// The conversation the link was made for; the client is associated with it once active.
    public var conversationId: ResourceID?
    /// Whether the client becomes the first of the participant's `clientAssociations`.
    public var primary: Bool
    public var confirmation: Confirmation
    /// For email clients: the subject of the emails sent to the user (`{appName}` already filled in).
    public var subject: String?

    public init(
        id: ResourceID, appId: ResourceID, userId: ResourceID, type: String, status: Status = .pending, integrationId: ResourceID,
        externalId: String, displayName: String? = nil, linkedAt: Timestamp? = nil, lastSeen: Timestamp? = nil,
        conversationId: ResourceID?, primary: Bool, confirmation: Confirmation = .immediate,
        subject: String? = nil
    ) {
        self.subject = subject
        self.confirmation = confirmation
        self.id = id
        self.appId = appId
        self.userId = userId
        self.type = type
        self.status = status
        self.integrationId = integrationId
        self.externalId = externalId
        self.displayName = displayName
        self.linkedAt = linkedAt
        self.lastSeen = lastSeen
        self.conversationId = conversationId
        self.primary = primary
    }
}

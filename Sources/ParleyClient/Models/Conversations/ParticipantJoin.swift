/// A user joining a conversation (CreateConversation's `participants`, JoinConversation's body):
/// by `userId` or `userExternalId`, exactly one.
public struct ParticipantJoin: Codable, Sendable, Hashable {
    public var userId: String?
    public var userExternalId: String?
    /// Give the user an SDK client if they have none (sdkGroup conversations).
    public var subscribeSDKClient: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(userId: String? = nil, userExternalId: String? = nil, subscribeSDKClient: Bool? = nil) {
        self.userId = userId
        self.userExternalId = userExternalId
        self.subscribeSDKClient = subscribeSDKClient
    }

    /// The user with this id.
    public static func userId(_ id: String, subscribeSDKClient: Bool? = nil) -> ParticipantJoin {
        ParticipantJoin(userId: id, subscribeSDKClient: subscribeSDKClient)
    }

    /// The user with this externalId.
    public static func userExternalId(_ id: String, subscribeSDKClient: Bool? = nil) -> ParticipantJoin {
        ParticipantJoin(userExternalId: id, subscribeSDKClient: subscribeSDKClient)
    }
}

import ParleyDomain

/// `conversation` as the API shows it; `activeSwitchboardIntegration` and
/// `pendingSwitchboardIntegration` are omitted when no integration is active or pending.
public struct ConversationWire: Encodable {
    public var id: String
    public var type: String
    public var metadata: Metadata?
    public var isDefault: Bool
    public var displayName: String?
    public var description: String?
    public var iconUrl: String?
    public var businessLastRead: String?
    public var lastUpdatedAt: String
    public var createdAt: String
    public var activeSwitchboardIntegration: SwitchboardIntegrationSummaryWire?
    public var pendingSwitchboardIntegration: SwitchboardIntegrationSummaryWire?

    public init(_ conversation: Conversation) {
        self.id = conversation.id.rawValue
        self.type = conversation.type.rawValue
        self.metadata = conversation.metadata
        self.isDefault = conversation.isDefault
        self.displayName = conversation.displayName
        self.description = conversation.description
        self.iconUrl = conversation.iconUrl
        self.businessLastRead = conversation.businessLastRead?.iso8601
        self.lastUpdatedAt = conversation.lastUpdatedAt.iso8601
        self.createdAt = conversation.createdAt.iso8601
        self.activeSwitchboardIntegration = conversation.activeSwitchboardIntegration.map(SwitchboardIntegrationSummaryWire.init)
        self.pendingSwitchboardIntegration = conversation.pendingSwitchboardIntegration.map(SwitchboardIntegrationSummaryWire.init)
    }
}

public struct ConversationEnvelope: Encodable {
    public var conversation: ConversationWire

    public init(conversation: ConversationWire) {
        self.conversation = conversation
    }
}

/// CreateConversation and UpdateConversation bodies.
public struct ConversationBody: Decodable {
    public var draft = ConversationDraft()

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let type = try container.decodeNonNull(String.self, forKey: AnyKey("type")) {
            guard let value = ConversationType(rawValue: type) else { throw ParleyError.badRequest("type must be personal or sdkGroup") }
            draft.type = value
        }
        if let participants = try container.decodeNonNull([ParticipantBody].self, forKey: AnyKey("participants")) {
            draft.participants = participants.map(\.reference)
        }
        draft.displayName = try container.decodePatch(String.self, forKey: AnyKey("displayName"))
        draft.description = try container.decodePatch(String.self, forKey: AnyKey("description"))
        draft.iconUrl = try container.decodePatch(String.self, forKey: AnyKey("iconUrl"))
        draft.metadata = try container.decodePatch([String: JSONValue].self, forKey: AnyKey("metadata"))
    }
}

/// `participantSubSchema` (CreateConversation's participants, JoinConversation): a user by id or
/// external id, exactly one. `subscribeSDKClient` is accepted; SDK clients arrive with channels.
public struct ParticipantBody: Decodable {
    public var reference: ParticipantReference

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let userId = try container.decodeNonNull(String.self, forKey: AnyKey("userId"))
        let externalId = try container.decodeNonNull(String.self, forKey: AnyKey("userExternalId"))
        _ = try container.decodeNonNull(Bool.self, forKey: AnyKey("subscribeSDKClient"))
        switch (userId, externalId) {
        case (let id?, nil): reference = .userId(id)
        case (nil, let externalId?): reference = .userExternalId(externalId)
        default:
            let path = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
            throw ParleyError.badRequest("\(path.isEmpty ? "body" : path) needs exactly one of userId or userExternalId")
        }
    }
}

/// LeaveConversation's body: `{userId}`, `{userExternalId}` or `{participantId}`, exactly one.
public struct LeaveBody: Decodable {
    public var reference: ParticipantReference

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let given: [ParticipantReference] = [
            try container.decodeNonNull(String.self, forKey: AnyKey("userId")).map(ParticipantReference.userId),
            try container.decodeNonNull(String.self, forKey: AnyKey("userExternalId")).map(ParticipantReference.userExternalId),
            try container.decodeNonNull(String.self, forKey: AnyKey("participantId")).map(ParticipantReference.participantId),
        ].compactMap { $0 }
        guard given.count == 1 else { throw ParleyError.badRequest("Give exactly one of userId, userExternalId or participantId") }
        reference = given[0]
    }
}

/// `participant` as the API shows it.
public struct ParticipantWire: Encodable {
    public var id: String
    public var userId: String
    public var userExternalId: String?
    public var unreadCount: Int
    public var lastRead: String?
    public var clientAssociations: [ClientAssociation]

    public init(_ participant: Participant) {
        self.id = participant.id.rawValue
        self.userId = participant.userId.rawValue
        self.userExternalId = participant.userExternalId
        self.unreadCount = participant.unreadCount
        self.lastRead = participant.lastRead?.iso8601
        self.clientAssociations = participant.clientAssociations
    }
}

public struct ParticipantEnvelope: Encodable {
    public var participant: ParticipantWire

    public init(participant: ParticipantWire) {
        self.participant = participant
    }
}

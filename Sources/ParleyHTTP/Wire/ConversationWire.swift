import ParleyDomain

/// `conversation` as the API shows it. No switchboard fields yet: they are omitted, as the spec
/// says they are when no integration is active or pending.
struct ConversationWire: Encodable {
    var id: String
    var type: String
    var metadata: Metadata?
    var isDefault: Bool
    var displayName: String?
    var description: String?
    var iconUrl: String?
    var businessLastRead: String?
    var lastUpdatedAt: String
    var createdAt: String

    init(_ conversation: Conversation) {
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
    }
}

struct ConversationEnvelope: Encodable {
    var conversation: ConversationWire
}

/// CreateConversation and UpdateConversation bodies.
struct ConversationBody: Decodable {
    var draft = ConversationDraft()

    init(from decoder: any Decoder) throws {
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
struct ParticipantBody: Decodable {
    var reference: ParticipantReference

    init(from decoder: any Decoder) throws {
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
struct LeaveBody: Decodable {
    var reference: ParticipantReference

    init(from decoder: any Decoder) throws {
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
struct ParticipantWire: Encodable {
    var id: String
    var userId: String
    var userExternalId: String?
    var unreadCount: Int
    var lastRead: String?
    var clientAssociations: [ClientAssociation]

    init(_ participant: Participant) {
        self.id = participant.id.rawValue
        self.userId = participant.userId.rawValue
        self.userExternalId = participant.userExternalId
        self.unreadCount = participant.unreadCount
        self.lastRead = participant.lastRead?.iso8601
        self.clientAssociations = participant.clientAssociations
    }
}

struct ParticipantEnvelope: Encodable {
    var participant: ParticipantWire
}

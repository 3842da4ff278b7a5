/// Builds the events the API's operations cause, with the payload shapes of the spec's
/// `x-webhooks` section. Payloads carry the full user where a webhook may ask for it
/// (`includeFullUser`); the dispatcher trims them per webhook.
public struct EventFactory: Sendable {
    private let ids: ResourceIDGenerator
    private let now: @Sendable () -> Timestamp

    public init(ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.ids = ids
        self.now = now
    }

    func event(_ type: EventType, appId: ResourceID, conversationId: ResourceID?, _ payload: [String: JSONValue]) -> OutboxEvent {
        OutboxEvent(id: ids.next(), appId: appId, type: type, conversationId: conversationId, createdAt: now(), payload: .object(payload))
    }

    /// `source` is where the creation came from: the API (reason `none`), or a channel whose first
    /// message from a stranger started the conversation (reason `message`).
    public func conversationCreated(_ conversation: Conversation, user: User?, source: MessageSource? = nil) -> OutboxEvent {
        var sourceJSON: [String: JSONValue] = ["type": .string(source?.type ?? "api")]
        if let integrationId = source?.integrationId { sourceJSON["integrationId"] = .string(integrationId) }
        var payload: [String: JSONValue] = [
            "conversation": Self.conversation(conversation), "creationReason": .string(source == nil ? "none" : "message"),
            "source": .object(sourceJSON),
        ]
        if conversation.type == .personal, let user { payload["user"] = Self.fullUser(user) }
        return event(.conversationCreate, appId: conversation.appId, conversationId: conversation.id, payload)
    }

    public func conversationRemoved(_ conversation: Conversation) -> OutboxEvent {
        event(.conversationRemove, appId: conversation.appId, conversationId: conversation.id, ["conversation": Self.conversation(conversation)])
    }

    public func participantChanged(_ type: EventType, conversation: Conversation, userId: ResourceID, userExternalId: String?) -> OutboxEvent {
        var user: [String: JSONValue] = ["id": .string(userId.rawValue)]
        if let userExternalId { user["externalId"] = .string(userExternalId) }
        return event(type, appId: conversation.appId, conversationId: conversation.id, [
            "conversation": Self.conversation(conversation), "user": .object(user),
        ])
    }

    public func messagePosted(_ message: Message, conversation: Conversation, user: User?) -> OutboxEvent {
        var body = message.jsonFields
        if let user {
            var author = message.author.jsonFields
            author["user"] = Self.fullUser(user)
            body["author"] = .object(author)
        }
        return event(.conversationMessage, appId: conversation.appId, conversationId: conversation.id, [
            "conversation": Self.conversation(conversation), "message": .object(body),
        ])
    }

    /// `conversation:read` and `conversation:typing`.
    public func activity(_ type: ActivityType, conversation: Conversation, author: MessageAuthor, user: User?) -> OutboxEvent {
        var authorJSON: [String: JSONValue] = ["type": .string(author.type.rawValue)]
        if let userId = author.userId { authorJSON["userId"] = .string(userId) }
        if let user { authorJSON["user"] = Self.fullUser(user) }
        let trigger: EventType = type == .conversationRead ? .conversationRead : .conversationTyping
        return event(trigger, appId: conversation.appId, conversationId: conversation.id, [
            "conversation": Self.conversation(conversation),
            "activity": .object(["type": .string(type.rawValue), "source": .object(["type": .string("api")]), "author": .object(authorJSON)]),
        ])
    }

    /// `user:update` after UpdateUser changed something; the spec's reasons (authentication,
    /// localeDetection) do not apply to an API update, so there is none.
    public func userUpdated(_ user: User) -> OutboxEvent {
        event(.userUpdate, appId: user.appId, conversationId: nil, ["user": Self.fullUser(user), "source": .object(["type": .string("api")])])
    }

    public func userRemoved(_ user: User) -> OutboxEvent {
        event(.userRemove, appId: user.appId, conversationId: nil, ["user": Self.truncatedUser(user)])
    }

    /// `client:add` for a channel link: the conversation it targets, the user and the pending client.
    public func clientAdded(_ client: Client, user: User, conversation: Conversation?) -> OutboxEvent {
        clientEvent(.clientAdd, client, user: user, conversation: conversation, ["reason": .string("channelLinking")])
    }

    /// `client:update` with reason `confirmed`: the client is active.
    public func clientConfirmed(_ client: Client, user: User, conversation: Conversation?) -> OutboxEvent {
        clientUpdated(client, user: user, conversation: conversation, reason: .confirmed)
    }

    /// `client:update`: `confirmed` (now active), `blocked` (the user unsubscribed), `unblocked`.
    public func clientUpdated(_ client: Client, user: User, conversation: Conversation?, reason: Client.UpdateReason) -> OutboxEvent {
        clientEvent(.clientUpdate, client, user: user, conversation: conversation, ["reason": .string(reason.rawValue)])
    }

    /// `client:remove`: `linkFailed` carries the channel's error; `api` is RemoveClient.
    public func clientRemoved(_ client: Client, user: User, conversation: Conversation?, reason: String, error: String? = nil) -> OutboxEvent {
        var extra: [String: JSONValue] = ["reason": .string(reason)]
        if let error { extra["error"] = .object(["message": .string(error)]) }
        return clientEvent(.clientRemove, client, user: user, conversation: conversation, extra)
    }

    /// `conversation:message:delivery:channel|user|failure` for a message delivered through `client`.
    /// `isFinalEvent`: a channel acceptance may still be followed by the user's (an email's
    /// `delivered` report); a user delivery or a failure is the last word.
    public func messageDelivery(
        _ type: EventType, messageId: ResourceID, conversation: Conversation, user: User, client: Client, externalMessageId: String? = nil,
        error: (code: String, message: String)? = nil
    ) -> OutboxEvent {
        var payload: [String: JSONValue] = [
            "user": Self.fullUser(user), "conversation": Self.conversation(conversation),
            "message": .object(["id": .string(messageId.rawValue)]),
            "destination": .object(["type": .string(client.type), "integrationId": .string(client.integrationId.rawValue)]),
            "isFinalEvent": .bool(type != .messageDeliveryChannel),
        ]
        if let externalMessageId { payload["externalMessages"] = .array([.object(["id": .string(externalMessageId)])]) }
        if let error { payload["error"] = .object(["code": .string(error.code), "message": .string(error.message)]) }
        return event(type, appId: conversation.appId, conversationId: conversation.id, payload)
    }

    /// `user:merge` (reason `channelLinking`): the anonymous user of an address folded into the
    /// user a link was made for; that user's client survives and the pending one is discarded.
    public func usersMerged(surviving: User, discarded: User, survivingClient: Client, discardedClient: Client) -> OutboxEvent {
        event(.userMerge, appId: surviving.appId, conversationId: nil, [
            "mergedUsers": .object(["surviving": Self.fullUser(surviving), "discarded": Self.fullUser(discarded)]),
            "mergedClients": .object(["surviving": Self.client(survivingClient), "discarded": Self.client(discardedClient)]),
            "reason": .string("channelLinking"),
        ])
    }

    private func clientEvent(
        _ type: EventType, _ client: Client, user: User, conversation: Conversation?, _ extra: [String: JSONValue]
    ) -> OutboxEvent {
        var payload = extra
        payload["client"] = Self.client(client)
        payload["user"] = Self.truncatedUser(user)
        payload["source"] = .object(["type": .string("api")])
        if let conversation { payload["conversation"] = Self.conversation(conversation) }
        return event(type, appId: client.appId, conversationId: conversation?.id, payload)
    }

    /// `client`, as ListClients and webhook payloads show it; unset optional fields are left out.
    public static func client(_ client: Client) -> JSONValue {
        var json: [String: JSONValue] = [
            "id": .string(client.id.rawValue), "type": .string(client.type), "status": .string(client.status.rawValue),
            "integrationId": .string(client.integrationId.rawValue), "externalId": .string(client.externalId),
        ]
        if let displayName = client.displayName { json["displayName"] = .string(displayName) }
        if let linkedAt = client.linkedAt { json["linkedAt"] = .string(linkedAt.iso8601) }
        if let lastSeen = client.lastSeen { json["lastSeen"] = .string(lastSeen.iso8601) }
        return .object(json)
    }

    /// `conversationTruncated`.
    static func conversation(_ conversation: Conversation) -> JSONValue {
        var json: [String: JSONValue] = ["id": .string(conversation.id.rawValue), "type": .string(conversation.type.rawValue)]
        if let metadata = conversation.metadata { json["metadata"] = .object(metadata.values) }
        return .object(json)
    }

    /// `userTruncated`.
    public static func truncatedUser(_ user: User) -> JSONValue {
        var json: [String: JSONValue] = ["id": .string(user.id.rawValue), "authenticated": .bool(user.authenticated)]
        if let externalId = user.externalId { json["externalId"] = .string(externalId) }
        return .object(json)
    }

    /// `user`, exactly as GetUser shows it: the one rendering of a user, used by the API's
    /// responses and by webhook payloads alike.
    public static func fullUser(_ user: User) -> JSONValue {
        guard case .object(var json) = truncatedUser(user) else { return .null }
        json["signedUpAt"] = .string(user.signedUpAt.iso8601)
        json["toBeRetained"] = .bool(user.toBeRetained)
        json["metadata"] = .object(user.metadata.values)
        json["identities"] = .array(user.identities.map {
            var identity: [String: JSONValue] = ["type": .string($0.type), "value": .string($0.value)]
            if let verification = $0.verification { identity["verification"] = .string(verification) }
            return .object(identity)
        })
        var profile: [String: JSONValue] = [:]
        for (key, value) in [("givenName", user.profile.givenName), ("surname", user.profile.surname), ("email", user.profile.email),
                             ("avatarUrl", user.profile.avatarUrl), ("locale", user.profile.locale)] {
            if let value { profile[key] = .string(value) }
        }
        json["profile"] = .object(profile)
        if let brandId = user.brandId { json["brandId"] = .string(brandId) }
        if let zendeskId = user.zendeskId { json["zendeskId"] = .string(zendeskId) }
        return .object(json)
    }
}

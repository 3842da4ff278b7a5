import ParleyDomain

/// An event's `payload` as the spec's `x-webhooks` section shows it, rendered from the domain's
/// `EventPayload` when the store records the event (the outbox keeps the rendered bytes). Users,
/// clients, conversations and messages are rendered by the same functions as the API's responses.
/// Payloads carry the full user where a webhook may ask for it (`includeFullUser`); the
/// dispatcher trims them per webhook.
public enum EventJSON {
    /// One item of a webhook body's `events` (and a realtime `event` frame's `event`): the
    /// event's id, time and type around its `payload` (as a webhook's options left it).
    public static func item(_ event: RecordedEvent, payload: JSONValue) -> JSONValue {
        .object([
            "id": .string(event.id.rawValue), "createdAt": .string(event.createdAt.iso8601), "type": .string(event.type.rawValue),
            "payload": payload,
        ])
    }

    public static func payload(_ payload: EventPayload) -> JSONValue {
        switch payload {
        case .conversationCreated(let conversation, let user, let source):
            var sourceJSON: [String: JSONValue] = ["type": .string(source?.type ?? "api")]
            if let integrationId = source?.integrationId { sourceJSON["integrationId"] = .string(integrationId) }
            var fields: [String: JSONValue] = [
                "conversation": ConversationJSON.truncated(conversation), "creationReason": .string(source == nil ? "none" : "message"),
                "source": .object(sourceJSON),
            ]
            if conversation.type == .personal, let user { fields["user"] = UserJSON.full(user) }
            return .object(fields)

        case .conversationRemoved(let conversation):
            return .object(["conversation": ConversationJSON.truncated(conversation)])

        case .participant(let conversation, let userId, let userExternalId):
            var user: [String: JSONValue] = ["id": .string(userId.rawValue)]
            if let userExternalId { user["externalId"] = .string(userExternalId) }
            return .object(["conversation": ConversationJSON.truncated(conversation), "user": .object(user)])

        case .message(let message, let conversation, let user):
            var body = message.jsonFields
            if let user {
                var author = message.author.jsonFields
                author["user"] = UserJSON.full(user)
                body["author"] = .object(author)
            }
            return .object(["conversation": ConversationJSON.truncated(conversation), "message": .object(body)])

        case .activity(let type, let conversation, let author, let user, let source):
            var authorJSON: [String: JSONValue] = ["type": .string(author.type.rawValue)]
            if let userId = author.userId { authorJSON["userId"] = .string(userId) }
            if let user { authorJSON["user"] = UserJSON.full(user) }
            return .object([
                "conversation": ConversationJSON.truncated(conversation),
                "activity": .object(["type": .string(type.rawValue), "source": channelSource(source), "author": .object(authorJSON)]),
            ])

        case .postback(let payload, let metadata, let conversation, let user, let source):
            var postback: [String: JSONValue] = ["payload": .string(payload)]
            if let metadata { postback["metadata"] = .object(metadata.values) }
            return .object([
                "postback": .object(postback), "conversation": ConversationJSON.truncated(conversation), "user": UserJSON.full(user),
                "source": channelSource(source),
            ])

        case .referral(let code, let details, let conversation, let user, let source):
            var referral: [String: JSONValue] = ["code": .string(code)]
            if let details { referral["details"] = details }
            return .object([
                "referral": .object(referral), "conversation": ConversationJSON.truncated(conversation), "user": UserJSON.full(user),
                "source": channelSource(source),
            ])

        case .userUpdated(let user):
            // From an API update: the spec's reasons (authentication, localeDetection) do not apply.
            return .object(["user": UserJSON.full(user), "source": .object(["type": .string("api")])])

        case .userRemoved(let user):
            return .object(["user": UserJSON.truncated(user)])

        case .client(let client, let user, let conversation, let reason, let error):
            var fields: [String: JSONValue] = [
                "client": ClientJSON.render(client), "user": UserJSON.truncated(user), "source": .object(["type": .string("api")]),
                "reason": .string(reason.rawValue),
            ]
            if let conversation { fields["conversation"] = ConversationJSON.truncated(conversation) }
            if let error { fields["error"] = .object(["message": .string(error)]) }
            return .object(fields)

        case .delivery(let report):
            var fields: [String: JSONValue] = [
                "user": UserJSON.full(report.user), "conversation": ConversationJSON.truncated(report.conversation),
                "message": .object(["id": .string(report.messageId.rawValue)]),
                "destination": .object(["type": .string(report.client.type), "integrationId": .string(report.client.integrationId.rawValue)]),
                "isFinalEvent": .bool(report.isFinal),
            ]
            if let id = report.externalMessageId { fields["externalMessages"] = .array([.object(["id": .string(id)])]) }
            if let failure = report.failure { fields["error"] = .object(["code": .string(failure.code), "message": .string(failure.message)]) }
            return .object(fields)

        case .usersMerged(let surviving, let discarded, let survivingClient, let discardedClient):
            return .object([
                "mergedUsers": .object(["surviving": UserJSON.full(surviving), "discarded": UserJSON.full(discarded)]),
                "mergedClients": .object(["surviving": ClientJSON.render(survivingClient), "discarded": ClientJSON.render(discardedClient)]),
                "reason": .string("channelLinking"),
            ])

        case .control(let control):
            var fields: [String: JSONValue] = ["conversation": ConversationJSON.truncated(control.conversation)]
            if let metadata = control.metadata { fields["metadata"] = .object(metadata.values) }
            if let failure = control.failure {
                fields["error"] = .object(["code": .string(failure.code.rawValue), "message": .string(failure.message)])
            }
            // Parley's addition: the latest messages the integration taking control asked for
            // (`messageHistoryCount`), oldest first, as `conversation:message` shows a message.
            if !control.messageHistory.isEmpty { fields["messageHistory"] = .array(control.messageHistory.map { .object($0.jsonFields) }) }
            return .object(fields)
        }
    }

    /// `source` of an activity, postback or referral: the channel and its integration, or the API.
    private static func channelSource(_ source: MessageSource?) -> JSONValue {
        guard let source else { return .object(["type": .string("api")]) }
        var fields: [String: JSONValue] = ["type": .string(source.type)]
        if let integrationId = source.integrationId { fields["integrationId"] = .string(integrationId) }
        return .object(fields)
    }
}

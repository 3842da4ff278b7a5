import ParleyDomain

/// A conversation in webhook payloads: `conversationTruncated` (the API's responses show the
/// whole conversation, `ConversationWire` in ParleyHTTP).
public enum ConversationJSON {
    public static func truncated(_ conversation: Conversation) -> JSONValue {
        var json: [String: JSONValue] = ["id": .string(conversation.id.rawValue), "type": .string(conversation.type.rawValue)]
        if let metadata = conversation.metadata { json["metadata"] = .object(metadata.values) }
        return .object(json)
    }
}

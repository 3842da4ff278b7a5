import ParleyDomain

/// A conversation in webhook payloads: `conversationTruncated` (the API's responses show the
/// whole conversation, `ConversationWire`), with the switchboard integrations in control and
/// offered control, omitted when there are none.
public enum ConversationJSON {
    public static func truncated(_ conversation: Conversation) -> JSONValue {
        var json: [String: JSONValue] = ["id": .string(conversation.id.rawValue), "type": .string(conversation.type.rawValue)]
        if let metadata = conversation.metadata { json["metadata"] = .object(metadata.values) }
        if let active = conversation.activeSwitchboardIntegration { json["activeSwitchboardIntegration"] = switchboardIntegration(active) }
        if let pending = conversation.pendingSwitchboardIntegration { json["pendingSwitchboardIntegration"] = switchboardIntegration(pending) }
        return .object(json)
    }

    /// `switchboardIntegrationWebhook`, as conversations show who controls them.
    static func switchboardIntegration(_ summary: SwitchboardIntegrationSummary) -> JSONValue {
        .object([
            "id": .string(summary.id.rawValue), "name": .string(summary.name), "integrationId": .string(summary.integrationId.rawValue),
            "integrationType": .string(summary.integrationType),
        ])
    }
}

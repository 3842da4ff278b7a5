import ParleyDomain

/// One line of an export (docs/DECISIONS.md "Export"): `{"type": "app"|"user"|"conversation"|"message", …}`
/// with the resource as the API shows it under the key of its type; a message also names its
/// `conversationId`, which the API's message shape leaves to the path. The last line,
/// `{"type": "end", "lines": N}`, counts the lines before it: an export without it was cut short.
public enum ExportLine: Encodable {
    case record(ExportRecord)
    case end(lines: Int)

    private enum Key: String, CodingKey {
        case type, app, user, conversation, message, conversationId, lines
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        guard case .record(let record) = self else {
            if case .end(let lines) = self {
                try container.encode("end", forKey: .type)
                try container.encode(lines, forKey: .lines)
            }
            return
        }
        switch record {
        case .app(let app):
            try container.encode("app", forKey: .type)
            try container.encode(AppWire(app), forKey: .app)
        case .user(let user):
            try container.encode("user", forKey: .type)
            try container.encode(UserWire(user), forKey: .user)
        case .conversation(let conversation):
            try container.encode("conversation", forKey: .type)
            try container.encode(ConversationWire(conversation), forKey: .conversation)
        case .message(let message):
            try container.encode("message", forKey: .type)
            try container.encode(message.conversationId.rawValue, forKey: .conversationId)
            try container.encode(message.json, forKey: .message)
        }
    }
}

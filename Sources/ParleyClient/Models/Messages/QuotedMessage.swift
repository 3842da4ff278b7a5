/// The message a message replies to: the message itself, or the channel's id for one the API
/// does not have. `indirect` because a ``Message`` can quote a ``Message``.
public indirect enum QuotedMessage: Codable, Sendable, Hashable {
    /// `{"type": "message", "message": …}`.
    case message(Message)
    /// `{"type": "externalMessageId", "externalMessageId": …}`.
    case externalMessageId(String)
    /// A shape this library does not know, kept as it came.
    case other(JSONValue)

    private enum CodingKeys: String, CodingKey {
        case type, message, externalMessageId
    }

    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decodeIfPresent(String.self, forKey: .type) {
        case "message":
            if let message = try? container.decode(Message.self, forKey: .message) {
                self = .message(message)
                return
            }
        case "externalMessageId":
            if let id = try? container.decode(String.self, forKey: .externalMessageId) {
                self = .externalMessageId(id)
                return
            }
        default: break
        }
        self = .other(try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .message(let message):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("message", forKey: .type)
            try container.encode(message, forKey: .message)
        case .externalMessageId(let id):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("externalMessageId", forKey: .type)
            try container.encode(id, forKey: .externalMessageId)
        case .other(let value):
            try value.encode(to: encoder)
        }
    }
}

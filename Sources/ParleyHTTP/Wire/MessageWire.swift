import ParleyDomain

/// `message` as the API shows it.
struct MessageWire: Encodable {
    var id: String
    var received: String
    var author: MessageAuthor
    var content: JSONValue
    var source: MessageSource
    var metadata: Metadata?

    init(_ message: Message) {
        self.id = message.id.rawValue
        self.received = message.received.iso8601
        self.author = message.author
        self.content = message.content
        self.source = message.source
        self.metadata = message.metadata
    }
}

struct MessagesEnvelope: Encodable {
    var messages: [MessageWire]
}

/// PostMessage's body (`messagePost`): parts are kept as JSON for the domain's rules to read, so
/// every 400 names the field by its full path.
struct MessageBody: Decodable {
    var draft: MessageDraft

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        // Present-but-null stays `.null` so the rules can tell it from "left out".
        func json(_ key: String) throws -> JSONValue? {
            container.contains(AnyKey(key)) ? try container.decode(JSONValue.self, forKey: AnyKey(key)) : nil
        }
        draft = MessageDraft(
            author: try container.decodeIfPresent(JSONValue.self, forKey: AnyKey("author")),
            content: try container.decodeIfPresent(JSONValue.self, forKey: AnyKey("content")),
            destination: try json("destination"), metadata: try json("metadata"), override: try json("override"),
            schema: try container.decodeNonNull(String.self, forKey: AnyKey("schema")))
    }
}

/// PostActivity's body (`activityPost`).
struct ActivityBody: Decodable {
    var author: JSONValue?
    var type: String?
}

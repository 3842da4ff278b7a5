import ParleyDomain

/// PostMessage's body (`messagePost`), read from free-form JSON (see `RequestBodyDecoder.decodeJSON`):
/// parts are kept as JSON for the domain's rules to read, so every 400 names the field by its
/// full path.
public struct MessageBody {
    public var draft: MessageDraft

    public init(json: JSONValue) throws {
        guard case .object(let fields) = json else { throw ParleyError.badRequest("The request body must be a JSON object") }
        // author and content: null is "not given". The others keep a present null as `.null`,
        // so the rules can tell it from "left out".
        func given(_ key: String) -> JSONValue? { fields[key] == .null ? nil : fields[key] }
        let schema: String?
        switch fields["schema"] {
        case nil: schema = nil
        case .null?: throw ParleyError.badRequest("schema cannot be null")
        case .string(let value)?: schema = value
        default: throw ParleyError.badRequest("schema must be a string")
        }
        draft = MessageDraft(
            author: given("author"), content: given("content"), destination: fields["destination"], metadata: fields["metadata"],
            override: fields["override"], schema: schema)
    }
}

/// PostActivity's body (`activityPost`).
public struct ActivityBody: Decodable {
    public var author: JSONValue?
    public var type: String?

    public init(author: JSONValue? = nil, type: String? = nil) {
        self.author = author
        self.type = type
    }
}

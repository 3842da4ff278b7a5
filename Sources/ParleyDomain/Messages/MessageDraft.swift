/// What PostMessage carries, decoded but not yet validated.
public struct MessageDraft: Sendable {
    public var author: JSONValue?
    public var content: JSONValue?
    public var destination: JSONValue?
    public var metadata: JSONValue?
    public var override: JSONValue?
    public var schema: String?

    public init(author: JSONValue? = nil, content: JSONValue? = nil, destination: JSONValue? = nil, metadata: JSONValue? = nil,
                override: JSONValue? = nil, schema: String? = nil) {
        self.author = author
        self.content = content
        self.destination = destination
        self.metadata = metadata
        self.override = override
        self.schema = schema
    }
}

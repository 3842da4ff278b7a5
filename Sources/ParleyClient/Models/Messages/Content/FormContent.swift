/// `form` content: 1–20 fields for the user to fill in (the web messenger shows it).
public struct FormContent: Codable, Sendable, Hashable {
    public var fields: [FormField]
    /// Whether the user has answered; set by the server.
    public var submitted: Bool?
    public var blockChatInput: Bool?
    public var text: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(fields: [FormField], blockChatInput: Bool? = nil, text: String? = nil) {
        self.fields = fields
        self.blockChatInput = blockChatInput
        self.text = text
    }
}

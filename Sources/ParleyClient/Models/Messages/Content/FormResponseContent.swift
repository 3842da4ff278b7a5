/// `formResponse` content: a user's answers to a form.
public struct FormResponseContent: Codable, Sendable, Hashable {
    public var fields: [FormField]
    /// `label: value` lines, set by the server.
    public var textFallback: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(fields: [FormField]) {
        self.fields = fields
    }
}

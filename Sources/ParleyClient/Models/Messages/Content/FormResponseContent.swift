/// `formResponse` content: a user's answers to a form.
public struct FormResponseContent: Codable, Sendable, Hashable {
    public var fields: [FormField]
    /// `label: value` lines, set by the server.
    public var textFallback: String?

    public init(fields: [FormField]) {
        self.fields = fields
    }
}

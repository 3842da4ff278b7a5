/// What CreateConversation and UpdateConversation carry, decoded but not yet validated.
public struct ConversationDraft: Sendable {
    public var type: ConversationType?
    public var participants: [ParticipantReference] = []
    public var displayName: Patch<String> = .absent
    public var description: Patch<String> = .absent
    public var iconUrl: Patch<String> = .absent
    public var metadata: Patch<[String: JSONValue]> = .absent

    public init() {}

    /// The display fields' rules, shared by create and update.
    func validatedFields() throws -> (displayName: Patch<String>, description: Patch<String>, iconUrl: Patch<String>, metadata: Patch<Metadata>) {
        if case .value(let name) = displayName { try Rules.length(name, 1...100, field: "displayName") }
        if case .value(let text) = description { try Rules.length(text, 1...100, field: "description") }
        if case .value(let url) = iconUrl { try Rules.uri(url, field: "iconUrl") }
        let metadata: Patch<Metadata>
        switch self.metadata {
        case .absent: metadata = .absent
        case .null: metadata = .null
        case .value(let values): metadata = .value(try Metadata.validated(values))
        }
        return (displayName, description, iconUrl, metadata)
    }
}

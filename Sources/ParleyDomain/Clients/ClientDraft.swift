/// CreateClient's body, decoded (ParleyWire's `ClientBody`): the link's shape, read and checked;
/// the channel's own `matchCriteria` fields and the confirmation message's content stay JSON for
/// their owners (the channel's `ChannelRules`, `ContentRules`) to read, naming fields by path.
public struct ClientDraft: Sendable {
    /// `matchCriteria.type`: one of the spec's linkable types.
    public var type: String
    public var integrationId: String
    public var primary: Bool
    /// `matchCriteria` as sent, for the channel to read its own fields from.
    public var matchCriteria: JSONValue
    public var confirmation: Client.Confirmation
    /// `confirmation.message` as sent (a messagePost), when given.
    public var confirmationMessage: JSONValue?
    public var targetConversationId: String

    public init(
        type: String, integrationId: String, primary: Bool, matchCriteria: JSONValue, confirmation: Client.Confirmation,
        confirmationMessage: JSONValue?, targetConversationId: String
    ) {
        self.type = type
        self.integrationId = integrationId
        self.primary = primary
        self.matchCriteria = matchCriteria
        self.confirmation = confirmation
        self.confirmationMessage = confirmationMessage
        self.targetConversationId = targetConversationId
    }
}

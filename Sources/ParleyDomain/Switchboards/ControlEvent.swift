/// What a `switchboard:*` event tells: the conversation as the action left it, the action's
/// metadata, the failure (for `…:failure`), and the latest messages the integration taking
/// control asked for (`messageHistoryCount`).
public struct ControlEvent: Hashable, Sendable {
    public var conversation: Conversation
    public var metadata: Metadata?
    public var failure: ControlFailure?
    /// Oldest first; empty unless control went to an integration with a `messageHistoryCount`.
    public var messageHistory: [Message]

    public init(conversation: Conversation, metadata: Metadata?, failure: ControlFailure? = nil, messageHistory: [Message] = []) {
        self.conversation = conversation
        self.metadata = metadata
        self.failure = failure
        self.messageHistory = messageHistory
    }
}

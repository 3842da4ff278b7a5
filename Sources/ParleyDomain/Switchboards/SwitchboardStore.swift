/// Persistence of switchboards and of who controls each conversation.
public protocol SwitchboardStore: Sendable {
    /// The app's switchboard with its integrations, or nil.
    func switchboardSetup(appId: ResourceID) async throws -> SwitchboardSetup?
    /// Changes the app's switchboard in one transaction, the app's switchboard serialised (two
    /// nodes cannot both create one, or both add the tenth integration): `change` receives the
    /// setup as stored (nil: none) and leaves it as it should be; the store writes the
    /// difference (the switchboard created, updated or deleted with its integrations; each
    /// integration added, changed or removed). Returns what `change` returns.
    func changeSwitchboard<Result: Sendable>(
        appId: ResourceID, _ change: @escaping @Sendable (inout SwitchboardSetup?) throws -> Result
    ) async throws -> Result
    /// A control action on a conversation in one transaction, the conversation's row locked so
    /// that actions on it take turns: `decide` receives the conversation as stored, the app's
    /// switchboard and the conversation's latest messages (at most 10, oldest first), changes
    /// the conversation's active and pending switchboard integrations, and returns the events
    /// to record. False when the conversation does not exist.
    func changeControl(
        appId: ResourceID, conversationId: ResourceID,
        _ decide: @escaping @Sendable (inout Conversation, SwitchboardSetup?, _ latestMessages: [Message]) throws -> [OutboxEvent]
    ) async throws -> Bool
}

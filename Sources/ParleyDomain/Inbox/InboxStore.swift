/// What the agent inbox reads that the API's operations do not: an app's conversations by last
/// activity (ListConversations wants a user).
public protocol InboxStore: Sendable {
    /// The app's conversations, most recently active first, skipping `offset`, at most `limit`.
    /// `search`, when given: a participant's `externalId` or profile (names, email) contains it,
    /// ignoring case.
    func inboxConversations(appId: ResourceID, search: String?, offset: Int, limit: Int) async throws -> [InboxEntry]
}

/// A conversation's participants: JoinConversation, LeaveConversation, ListParticipants.
public struct ParticipantsAPI: Sendable {
    let transport: Transport

    /// Adds a user to an `sdkGroup` conversation (JoinConversation, `POST …/conversations/{conversationId}/join`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found` or `user_not_found`, `409 conflict`
    ///   for a member, `400` for a personal or full conversation.
    public func join(appId: String, conversationId: String, _ participant: ParticipantJoin) async throws(SunshineClientError) -> Participant {
        try await transport.value(
            APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "join")).json(participant), at: "participant")
    }

    /// Removes a user from a conversation (LeaveConversation, `POST …/conversations/{conversationId}/leave`).
    /// - Throws: ``SunshineClientError``: `404 not_found` when the user is not a member.
    public func leave(appId: String, conversationId: String, _ who: ParticipantLeave) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "leave")).json(who))
    }

    /// The conversation's participants, page by page while iterated (ListParticipants).
    /// - Throws: (while iterating) ``SunshineClientError``: `404 conversation_not_found`.
    public func list(appId: String, conversationId: String, page: PageQuery = .first) -> PaginatedSequence<Participant> {
        transport.paginated(from: page, at: "participants") { query in request(appId: appId, conversationId: conversationId, page: query) }
    }

    /// One page of the conversation's participants (ListParticipants).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`.
    public func listPage(appId: String, conversationId: String, page: PageQuery = .first) async throws(SunshineClientError) -> Page<Participant> {
        try await transport.page(request(appId: appId, conversationId: conversationId, page: page), at: "participants")
    }

    private func request(appId: String, conversationId: String, page: PageQuery) -> APIRequest {
        APIRequest(.GET, path("v2", "apps", appId, "conversations", conversationId, "participants"), query: page.items)
    }
}

/// Conversations: CreateConversation, ListConversations, GetConversation, UpdateConversation,
/// DeleteConversation, DownloadMessageRef, PostConversionEvents.
public struct ConversationsAPI: Sendable {
    let transport: Transport

    /// Creates a conversation (CreateConversation, `POST /v2/apps/{appId}/conversations`).
    /// - Throws: ``SunshineClientError``: `404 user_not_found` for an unknown participant, `400 bad_request`.
    public func create(appId: String, _ body: ConversationCreate) async throws(SunshineClientError) -> Conversation {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "conversations")).json(body), at: "conversation")
    }

    /// A user's conversations, page by page while iterated (ListConversations).
    /// - Throws: (while iterating) ``SunshineClientError``: `404 user_not_found`.
    public func list(appId: String, filter: ConversationFilter, page: PageQuery = .first) -> PaginatedSequence<Conversation> {
        transport.paginated(from: page, at: "conversations") { query in request(appId: appId, filter: filter, page: query) }
    }

    /// One page of a user's conversations (ListConversations).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`, `400` for an invalid cursor.
    public func listPage(appId: String, filter: ConversationFilter, page: PageQuery = .first) async throws(SunshineClientError) -> Page<Conversation> {
        try await transport.page(request(appId: appId, filter: filter, page: page), at: "conversations")
    }

    private func request(appId: String, filter: ConversationFilter, page: PageQuery) -> APIRequest {
        APIRequest(.GET, path("v2", "apps", appId, "conversations"), query: [filter.queryItem] + page.items)
    }

    /// One conversation (GetConversation).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`.
    public func get(appId: String, conversationId: String) async throws(SunshineClientError) -> Conversation {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "conversations", conversationId)), at: "conversation")
    }

    /// Changes a conversation's name, description, icon or metadata (UpdateConversation).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`, `400 bad_request`.
    public func update(appId: String, conversationId: String, _ body: ConversationUpdate) async throws(SunshineClientError) -> Conversation {
        try await transport.value(APIRequest(.PATCH, path("v2", "apps", appId, "conversations", conversationId)).json(body), at: "conversation")
    }

    /// Deletes a conversation and its messages (DeleteConversation).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`, `400` for a user's default conversation.
    public func delete(appId: String, conversationId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "conversations", conversationId)))
    }

    /// Fetches an Apple Messages for Business interactive data reference for a user
    /// (DownloadMessageRef, `POST …/conversations/{conversationId}/download`); the answer is Apple's data.
    /// - Throws: ``SunshineClientError``.
    public func downloadMessageRef(appId: String, conversationId: String, _ body: MessageRefDownload) async throws(SunshineClientError) -> JSONObject {
        try await transport.whole(APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "download")).json(body))
    }

    /// Sends Meta conversion events for a conversation (PostConversionEvents,
    /// `POST …/conversations/{conversationId}/conversionEvents`).
    /// - Throws: ``SunshineClientError``.
    public func postConversionEvents(appId: String, conversationId: String, _ body: ConversionEvents) async throws(SunshineClientError)
        -> ConversionEventsResult
    {
        try await transport.value(
            APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "conversionEvents")).json(body), at: "conversionEvents")
    }
}

/// A conversation's messages: PostMessage, ListMessages, DeleteAllMessages, DeleteMessage.
public struct MessagesAPI: Sendable {
    let transport: Transport

    /// Posts a message; the answer lists the messages made (one, on Parley)
    /// (PostMessage, `POST …/conversations/{conversationId}/messages`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found` or `user_not_found`,
    ///   `400 bad_request` naming the field, `423 locked` past the conversation's message cap.
    public func post(appId: String, conversationId: String, _ body: MessagePost) async throws(SunshineClientError) -> [Message] {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "messages")).json(body), at: "messages")
    }

    /// Every message of the conversation, **newest first**, fetched 100 at a time while iterated
    /// (ListMessages). The API's first page is the newest and older pages come through
    /// `page[before]`, so this walks backwards.
    /// - Throws: (while iterating) ``SunshineClientError``: `404`.
    public func list(appId: String, conversationId: String, page: PageQuery = .first) -> PaginatedSequence<Message> {
        transport.paginated(from: page, direction: .backward, at: "messages") { query in
            request(appId: appId, conversationId: conversationId, page: query)
        }
    }

    /// One page of messages (ListMessages), oldest first within the page. Without a cursor it is
    /// the newest page; `hasMore` then says older ones exist, reached with
    /// `PageQuery(before: page.beforeCursor)`.
    /// - Throws: ``SunshineClientError``: `404`.
    public func listPage(appId: String, conversationId: String, page: PageQuery = .first) async throws(SunshineClientError) -> Page<Message> {
        try await transport.page(request(appId: appId, conversationId: conversationId, page: page), at: "messages")
    }

    private func request(appId: String, conversationId: String, page: PageQuery) -> APIRequest {
        APIRequest(.GET, path("v2", "apps", appId, "conversations", conversationId, "messages"), query: page.items)
    }

    /// Deletes every message of the conversation (DeleteAllMessages).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`.
    public func deleteAll(appId: String, conversationId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "conversations", conversationId, "messages")))
    }

    /// Deletes one message (DeleteMessage).
    /// - Throws: ``SunshineClientError``: `404`.
    public func delete(appId: String, conversationId: String, messageId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "conversations", conversationId, "messages", messageId)))
    }
}

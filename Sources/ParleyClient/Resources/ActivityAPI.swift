/// Read receipts and typing indicators: PostActivity.
public struct ActivityAPI: Sendable {
    let transport: Transport

    /// Reports that the author read the conversation or started or stopped typing
    /// (PostActivity, `POST …/conversations/{conversationId}/activity`).
    /// - Throws: ``SunshineClientError``: `404`, `400` for a user author sending typing.
    public func post(appId: String, conversationId: String, _ body: ActivityPost) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, "activity")).json(body))
    }
}

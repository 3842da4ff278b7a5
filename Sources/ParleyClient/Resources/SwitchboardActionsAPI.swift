/// Control of a conversation: PassControl, OfferControl, AcceptControl, ReleaseControl. Each
/// answers once recorded; what the conversation's state refuses is reported by the action's
/// `:failure` webhook event, not by an error here.
public struct SwitchboardActionsAPI: Sendable {
    let transport: Transport

    /// Makes `switchboardIntegration` (an id, a name, an integration type, or `next`) active
    /// (PassControl, `POST …/conversations/{conversationId}/passControl`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`, `400` for a malformed body.
    public func passControl(appId: String, conversationId: String, to switchboardIntegration: String, metadata: JSONObject? = nil)
        async throws(SunshineClientError)
    {
        try await action("passControl", appId, conversationId, ControlAction(switchboardIntegration: switchboardIntegration, metadata: metadata))
    }

    /// Offers control to `switchboardIntegration`, which becomes pending
    /// (OfferControl, `POST …/conversations/{conversationId}/offerControl`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`.
    public func offerControl(appId: String, conversationId: String, to switchboardIntegration: String, metadata: JSONObject? = nil)
        async throws(SunshineClientError)
    {
        try await action("offerControl", appId, conversationId, ControlAction(switchboardIntegration: switchboardIntegration, metadata: metadata))
    }

    /// The pending integration takes control (AcceptControl, `POST …/conversations/{conversationId}/acceptControl`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`, `403` for an integration key
    ///   whose integration is not the pending one.
    public func acceptControl(appId: String, conversationId: String, metadata: JSONObject? = nil) async throws(SunshineClientError) {
        try await action("acceptControl", appId, conversationId, ControlAction(metadata: metadata))
    }

    /// Nobody is in control any more (ReleaseControl, `POST …/conversations/{conversationId}/releaseControl`).
    /// - Throws: ``SunshineClientError``: `404 conversation_not_found`, `403` for an integration key
    ///   whose integration is not in control.
    public func releaseControl(appId: String, conversationId: String, metadata: JSONObject? = nil) async throws(SunshineClientError) {
        try await action("releaseControl", appId, conversationId, ControlAction(metadata: metadata))
    }

    private func action(_ name: String, _ appId: String, _ conversationId: String, _ body: ControlAction) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.POST, path("v2", "apps", appId, "conversations", conversationId, name)).json(body))
    }
}

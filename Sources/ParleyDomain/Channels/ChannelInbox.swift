/// Where channel providers call Parley: `POST /v2/apps/{appId}/integrations/{integrationId}/inbound/{endpoint}`.
/// The provider proves itself by its own signature scheme, not by an API key, so the channel the
/// integration belongs to checks that before it uses anything else of the request.
public protocol ChannelInbox: Sendable {
    /// Throws `ParleyError` to refuse: 401 bad or stale signature, 404 unknown integration or
    /// endpoint, 400 a signed but unreadable body.
    func receive(_ request: InboundRequest) async throws -> InboundReply
}

/// Where channel providers call Parley: `POST /v2/apps/{appId}/integrations/{integrationId}/inbound/{endpoint}`
/// (Mailgun's route forwards to `…/inbound/messages`, its event webhooks to `…/inbound/events`).
/// The provider proves itself by its own signature scheme, not by an API key, so each
/// implementation checks that before it uses anything else of the request.
public protocol ChannelInbox: Sendable {
    /// Answers the JSON body of a 200; throws `ParleyError` to refuse (401 bad or stale signature,
    /// 404 unknown integration or endpoint, 400 unreadable body).
    func receive(appId: ResourceID, integrationId: ResourceID, endpoint: String, contentType: String?, body: [UInt8]) async throws -> JSONValue
}

import Foundation

/// A webhook of a custom integration: where events go, which ones, and the shared secret sent
/// with them.
public struct Webhook: Hashable, Sendable {
    public var id: ResourceID
    public var integrationId: ResourceID
    public var version: String
    public var target: String
    public var triggers: [EventType]
    /// The shared secret sent as `X-API-Key` and keyed into the signature, sealed with the server
    /// key like every other credential (`WebhookService.secret(of:)` opens it).
    public var secret: SealedSecret
    public var includeFullUser: Bool
    public var includeFullSource: Bool

    public init(
        id: ResourceID, integrationId: ResourceID, version: String = "v2", target: String, triggers: [EventType], secret: SealedSecret,
        includeFullUser: Bool = false, includeFullSource: Bool = false
    ) {
        self.id = id
        self.integrationId = integrationId
        self.version = version
        self.target = target
        self.triggers = triggers
        self.secret = secret
        self.includeFullUser = includeFullUser
        self.includeFullSource = includeFullSource
    }

    /// Checks a webhook body (`webhookCreateBody`, or a custom integration's webhook at `path`):
    /// `target` and `triggers` are required, and the target must be an http or https URL this
    /// server may send to (`outbound`; names are judged again by their addresses at each send).
    static func validated(
        _ draft: WebhookDraft, path: String, id: ResourceID, integrationId: ResourceID, secret: SealedSecret, outbound: OutboundAddressPolicy
    ) throws -> Webhook {
        func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        guard let target = draft.target else { throw ParleyError.badRequest("\(name("target")) is required") }
        guard target.hasPrefix("http://") || target.hasPrefix("https://"), let host = URL(string: target)?.host, !host.isEmpty else {
            throw ParleyError.badRequest("\(name("target")) must be an http or https URL")
        }
        if let refusal = outbound.refusal(ofHost: host) {
            throw ParleyError.badRequest("\(name("target")) is not allowed by this server's outbound policy: \(refusal)")
        }
        guard let triggers = draft.triggers else { throw ParleyError.badRequest("\(name("triggers")) is required") }
        return Webhook(
            id: id, integrationId: integrationId, target: target, triggers: triggers, secret: secret,
            includeFullUser: draft.includeFullUser ?? false, includeFullSource: draft.includeFullSource ?? false)
    }
}

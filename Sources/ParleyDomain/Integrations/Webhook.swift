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

    /// Validates a webhook body (`webhook`/`webhookCreateBody`) at `path`.
    /// `outbound`: where this server may send; a target naming an address it may not is refused
    /// here already (names are judged again by their addresses at each send).
    static func validated(
        _ value: JSONValue, path: String, id: ResourceID, integrationId: ResourceID, secret: SealedSecret, outbound: OutboundAddressPolicy
    ) throws -> Webhook {
        var reader = try JSONReader(value, path: path)
        guard let target = try reader.uri("target", required: true) else { throw ParleyError.badRequest("\(reader.name("target")) is required") }
        guard target.hasPrefix("http://") || target.hasPrefix("https://"), let host = URL(string: target)?.host, !host.isEmpty else {
            throw ParleyError.badRequest("\(reader.name("target")) must be an http or https URL")
        }
        if let refusal = outbound.refusal(ofHost: host) {
            throw ParleyError.badRequest("\(reader.name("target")) is not allowed by this server's outbound policy: \(refusal)")
        }
        let triggers = try reader.requireArray("triggers", count: 0...EventType.allCases.count).enumerated().map { index, value in
            guard case .string(let name) = value, let trigger = EventType(rawValue: name) else {
                throw ParleyError.badRequest("\(reader.name("triggers"))[\(index)] is not a known trigger")
            }
            return trigger
        }
        // The schema lists `secret` as writable; Parley always generates it, but a wrong type is
        // still a malformed request.
        _ = try reader.string("secret")
        return Webhook(
            id: id, integrationId: integrationId, target: target, triggers: triggers, secret: secret,
            includeFullUser: try reader.bool("includeFullUser") ?? false, includeFullSource: try reader.bool("includeFullSource") ?? false)
    }
}

import Foundation
import ParleyDomain

/// Tokens Parley signs for the sessions of its own pages (docs/MESSENGER.md): the web messenger's,
/// naming a `WebSession`, and the agent inbox's, standing for an app key for 12 hours so the page
/// never keeps the key's secret.
///
/// `pst1.{claims}.{mac}` (`TokenSigner`, label "parley session token v1"). Stateless, so
/// every node accepts what any node signed; what a token names is checked against the store on
/// every use, which is how deleting a user, device or key ends its sessions.
public struct SessionTokens: Sendable {
    static let prefix = "pst1."
    /// How long an inbox session lasts.
    public static let inboxLifetimeSeconds: Int64 = 12 * 3600

    private let signer: TokenSigner
    /// The OAuth consent page's tickets (`ConsentTicket`): a key of their own.
    private let consentSigner: TokenSigner

    /// `serverKey`: the server's 32-byte key.
    public init(serverKey: [UInt8]) {
        signer = TokenSigner(serverKey: serverKey, label: "parley session token v1", prefix: Self.prefix)
        consentSigner = TokenSigner(serverKey: serverKey, label: "parley oauth consent v1", prefix: "poc1.")
    }

    public static func isSessionToken(_ token: String) -> Bool {
        token.hasPrefix(prefix)
    }

    public func sign(_ claims: SessionClaims) throws -> String {
        try signer.sign(claims)
    }

    /// The claims of a token this server's key signed, unexpired at `now`; nil for anything else.
    public func verify(_ token: String, now: Timestamp) -> SessionClaims? {
        guard let claims = signer.verify(token, as: SessionClaims.self) else { return nil }
        if let expires = claims.expiresAt, expires <= now.millisecondsSince1970 / 1000 { return nil }
        return claims
    }

    func sign(_ ticket: ConsentTicket) throws -> String {
        try consentSigner.sign(ticket)
    }

    /// A consent page's ticket this server signed, unexpired at `now`.
    func verifyConsent(_ token: String, now: Timestamp) -> ConsentTicket? {
        guard let ticket = consentSigner.verify(token, as: ConsentTicket.self), ticket.expiresAt > now.millisecondsSince1970 / 1000 else {
            return nil
        }
        return ticket
    }
}

/// What a session token says.
public struct SessionClaims: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case web, inbox
    }

    public var kind: Kind
    public var appId: String
    /// Web sessions: the `WebSession`'s ids.
    public var integrationId: String?
    public var userId: String?
    public var clientId: String?
    public var deviceId: String?
    /// Inbox sessions: the app key signed in with.
    public var keyId: String?
    /// Unix seconds; web sessions do not expire (they end with their user, client or device).
    public var expiresAt: Int64?

    enum CodingKeys: String, CodingKey {
        case kind = "t", appId = "a", integrationId = "i", userId = "u", clientId = "c", deviceId = "d", keyId = "k", expiresAt = "e"
    }

    public static func web(_ session: WebSession) -> SessionClaims {
        SessionClaims(
            kind: .web, appId: session.appId.rawValue, integrationId: session.integrationId.rawValue, userId: session.userId.rawValue,
            clientId: session.clientId.rawValue, deviceId: session.deviceId.rawValue)
    }

    public static func inbox(keyId: KeyID, appId: ResourceID, expiresAt: Int64) -> SessionClaims {
        SessionClaims(kind: .inbox, appId: appId.rawValue, keyId: keyId.rawValue, expiresAt: expiresAt)
    }

    /// The web session these claims name, if they are a web session's.
    public var webSession: WebSession? {
        guard kind == .web, let appId = ResourceID(appId), let integrationId = integrationId.flatMap(ResourceID.init),
            let userId = userId.flatMap(ResourceID.init), let clientId = clientId.flatMap(ResourceID.init),
            let deviceId = deviceId.flatMap(ResourceID.init)
        else { return nil }
        return WebSession(appId: appId, integrationId: integrationId, userId: userId, clientId: clientId, deviceId: deviceId)
    }
}

import Crypto
import Foundation
import ParleyDomain

/// Tokens Parley signs for the sessions of its own pages (docs/MESSENGER.md): the web messenger's,
/// naming a `WebSession`, and the agent inbox's, standing for an app key for 12 hours so the page
/// never keeps the key's secret.
///
/// `pst1.{claims}.{mac}`: the claims as JSON, then HMAC-SHA256 over everything before the last dot
/// with a key derived from the server key (HKDF, its own label), both base64url. Stateless, so
/// every node accepts what any node signed; what a token names is checked against the store on
/// every use, which is how deleting a user, device or key ends its sessions.
public struct SessionTokens: Sendable {
    static let prefix = "pst1."
    /// How long an inbox session lasts.
    public static let inboxLifetimeSeconds: Int64 = 12 * 3600

    private let key: SymmetricKey

    /// `serverKey`: the server's 32-byte key.
    public init(serverKey: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: serverKey), info: Data("parley session token v1".utf8), outputByteCount: 32)
    }

    public static func isSessionToken(_ token: String) -> Bool {
        token.hasPrefix(prefix)
    }

    public func sign(_ claims: SessionClaims) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = Self.prefix + Self.base64URL(try encoder.encode(claims))
        return body + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key)))
    }

    /// The claims of a token this server's key signed, unexpired at `now`; nil for anything else.
    public func verify(_ token: String, now: Timestamp) -> SessionClaims? {
        guard token.utf8.count < 4096, token.hasPrefix(Self.prefix), let dot = token.lastIndex(of: ".") else { return nil }
        let body = token[..<dot]
        guard let mac = Self.data(base64URL: token[token.index(after: dot)...]),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(body.utf8), using: key),
            let json = Self.data(base64URL: body.dropFirst(Self.prefix.count)),
            let claims = try? JSONDecoder().decode(SessionClaims.self, from: json)
        else { return nil }
        if let expires = claims.expiresAt, expires <= now.millisecondsSince1970 / 1000 { return nil }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of unpadded base64url text, only when it is their one spelling (the unused bits of
    /// a last character are zero): a token is accepted only exactly as it was signed.
    static func data(base64URL text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "=") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), base64URL(data) == text else { return nil }
        return data
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

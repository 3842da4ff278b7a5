import Foundation
import JWTKit
import ParleyDomain
import ParleyWire

/// Turns an `Authorization` header into a `Principal`, or refuses with 401.
///
/// Basic: `keyId:secret`, checked against the stored keyed hash in constant time.
/// Bearer: a JWT whose header names the key in `kid`, signed HS256 with the key's secret, whose
/// `scope` claim matches the key's scope. `alg` other than HS256 (including `none`) is refused
/// before any key is looked up.
/// Bearer may also carry an agent inbox's session token (`SessionTokens`), standing for the app
/// key it was signed in with for as long as that key exists.
public struct Authenticator: Sendable {
    private let keys: KeyService
    private let sessions: SessionTokens?
    private let now: @Sendable () -> Timestamp

    public init(keys: KeyService, sessions: SessionTokens? = nil, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.keys = keys
        self.sessions = sessions
        self.now = now
    }

    public func authenticate(authorization: String?) async throws -> Principal {
        // Read as UTF-8 bytes: `Character` searches, `lowercased()` and Foundation's
        // `trimmingCharacters` were ≈ 3 % of a post's CPU. The header is ASCII in practice.
        guard let authorization, let space = authorization.utf8.firstIndex(of: UInt8(ascii: " ")) else {
            throw ParleyError.unauthorized()
        }
        let scheme = authorization[..<space]
        let credentials = Self.trimmingBlanks(authorization[space...])
        if Self.equalsIgnoringASCIICase(scheme, "basic") { return try await basic(credentials) }
        if Self.equalsIgnoringASCIICase(scheme, "bearer") { return try await bearer(credentials) }
        throw ParleyError.unauthorized("Unsupported authorization scheme; use Basic or Bearer")
    }

    /// Without the spaces and tabs around it.
    static func trimmingBlanks(_ text: Substring) -> String {
        let utf8 = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isBlank(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isBlank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(text[start..<end])
    }

    /// `lowercase` must be lowercase ASCII.
    static func equalsIgnoringASCIICase(_ text: Substring, _ lowercase: StaticString) -> Bool {
        let bytes = text.utf8
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        for (offset, byte) in bytes.enumerated() {
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            if folded != lowercase.utf8Start[offset] { return false }
        }
        return true
    }

    private func basic(_ credentials: String) async throws -> Principal {
        // Split on the first colon byte, and cut the bytes there: a String index would move by
        // Character and take a mark that combines with the colon (`id:\u{301}secret`) with it.
        guard let decoded = Data(base64Encoded: credentials).map(Array.init), let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
            throw ParleyError.unauthorized("Malformed Basic credentials")
        }
        let secret = String(decoding: decoded[(colon + 1)...], as: UTF8.self)
        let keyText = String(decoding: decoded[..<colon], as: UTF8.self)
        guard let keyId = KeyID(keyText), let key = try await keys.lookup(keyId), keys.matches(secret, key) else {
            throw ParleyError.unauthorized("Invalid credentials")
        }
        return Principal(keyId: key.id, appId: key.appId, integrationId: key.integrationId)
    }

    private func bearer(_ token: String) async throws -> Principal {
        if SessionTokens.isSessionToken(token) { return try await inboxSession(token) }
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(token.utf8), as: ScopeClaims.self).header
        } catch {
            throw ParleyError.unauthorized("Malformed JWT")
        }
        guard header.alg == "HS256" else { throw ParleyError.unauthorized("JWTs must be signed with HS256") }
        guard let kid = header.kid, let keyId = KeyID(kid), let key = try await keys.lookup(keyId) else {
            throw ParleyError.unauthorized("Invalid credentials")
        }
        let secret = try keys.plainSecret(of: key)
        // jwt-kit asserts on HMAC keys shorter than the digest; such keys cannot be created here,
        // but a refusal is the safe answer should one exist.
        guard secret.utf8.count >= KeyService.minimumSecretBytes else { throw ParleyError.unauthorized("Invalid credentials") }
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        let claims: ScopeClaims
        do {
            claims = try await collection.verify(token, as: ScopeClaims.self)
        } catch {
            throw ParleyError.unauthorized("Invalid JWT signature or claims")
        }
        guard claims.scope == key.scope.rawValue else {
            throw ParleyError.unauthorized("The JWT scope claim must be '\(key.scope.rawValue)' for this key")
        }
        return Principal(keyId: key.id, appId: key.appId, integrationId: key.integrationId)
    }
}

extension Authenticator {
    /// An inbox session: valid, unexpired, and its app key still there.
    private func inboxSession(_ token: String) async throws -> Principal {
        guard let claims = sessions?.verify(token, now: now()), claims.kind == .inbox, let keyText = claims.keyId, let keyId = KeyID(keyText),
            let key = try await keys.lookup(keyId), key.appId?.rawValue == claims.appId
        else { throw ParleyError.unauthorized("Invalid or expired session") }
        return Principal(keyId: key.id, appId: key.appId, integrationId: key.integrationId)
    }

    /// A page's sign-in (the inbox: app keys; OAuth consent: account or app keys): a key's id and
    /// secret, checked as Basic credentials are.
    public func signIn(keyId keyText: String, secret: String, scopes: Set<KeyScope> = [.app]) async throws -> Principal {
        guard let keyId = KeyID(keyText), scopes.contains(keyId.scope), let key = try await keys.lookup(keyId), keys.matches(secret, key) else {
            throw ParleyError.unauthorized(scopes == [.app] ? "Invalid credentials; sign in with an app key" : "Invalid credentials")
        }
        return Principal(keyId: key.id, appId: key.appId, integrationId: key.integrationId)
    }

    /// The caller a page's session names, as long as its key still exists.
    func signedIn(keyId keyText: String) async throws -> Principal {
        guard let keyId = KeyID(keyText), let key = try await keys.lookup(keyId) else {
            throw ParleyError.unauthorized("The key signed in with no longer exists")
        }
        return Principal(keyId: key.id, appId: key.appId, integrationId: key.integrationId)
    }

    /// `loginWithJWT`'s token (docs/MESSENGER.md): HS256, `kid` an app key of `appId`, claims
    /// `scope: "user"` with `external_id` (or the older `scope: "appUser"` with `userId`).
    /// Returns the user's external id.
    public func verifyUserJWT(_ token: String, appId: ResourceID) async throws -> String {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(token.utf8), as: UserClaims.self).header
        } catch {
            throw ParleyError.unauthorized("Malformed JWT")
        }
        guard header.alg == "HS256" else { throw ParleyError.unauthorized("JWTs must be signed with HS256") }
        guard let kid = header.kid, let keyId = KeyID(kid), keyId.scope == .app, let key = try await keys.lookup(keyId), key.appId == appId else {
            throw ParleyError.unauthorized("The JWT must be signed with a key of this app")
        }
        let secret = try keys.plainSecret(of: key)
        guard secret.utf8.count >= KeyService.minimumSecretBytes else { throw ParleyError.unauthorized("Invalid credentials") }
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        let claims: UserClaims
        do {
            claims = try await collection.verify(token, as: UserClaims.self)
        } catch {
            throw ParleyError.unauthorized("Invalid JWT signature or claims")
        }
        switch (claims.scope, claims.externalId, claims.userId) {
        case ("user", let externalId?, _) where !externalId.isEmpty, ("appUser", _, let externalId?) where !externalId.isEmpty:
            return externalId
        default:
            throw ParleyError.unauthorized("The JWT must have scope 'user' and an external_id")
        }
    }
}

/// A signed-in user's claims.
struct UserClaims: JWTPayload {
    var scope: String?
    var externalId: String?
    var userId: String?
    var exp: ExpirationClaim?

    enum CodingKeys: String, CodingKey {
        case scope, externalId = "external_id", userId, exp
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
    }
}

/// The claims Parley reads from a JWT. `exp` is optional (the API's tokens usually have none) but
/// honoured when present.
struct ScopeClaims: JWTPayload {
    var scope: String?
    var exp: ExpirationClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
    }
}

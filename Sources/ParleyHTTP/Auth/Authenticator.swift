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
public struct Authenticator: Sendable {
    private let keys: KeyService

    public init(keys: KeyService) {
        self.keys = keys
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

/// The claims Parley reads from a JWT. `exp` is optional (the API's tokens usually have none) but
/// honoured when present.
struct ScopeClaims: JWTPayload {
    var scope: String?
    var exp: ExpirationClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
    }
}

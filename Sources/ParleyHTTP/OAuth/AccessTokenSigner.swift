import Foundation
import JWTKit
import ParleyDomain

/// The access token `POST /oauth/token` answers: a JWT signed HS256 with the app key issued to the
/// client, shaped like the spec's example (`kid` the key, `scope`, `appId`, `azp` the client), so
/// the authenticator's JWT path accepts it with no case of its own.
enum AccessTokenSigner {
    struct Claims: JWTPayload {
        var scope: String
        var appId: String
        /// The client the token was issued to (OpenID's "authorized party").
        var azp: String
        var iat: IssuedAtClaim

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func token(for issued: IssuedKey, issuedAt: Timestamp) async throws -> String {
        guard let appId = issued.key.appId, let clientId = issued.key.oauthClientId else {
            throw ParleyError.forbidden("Only keys issued to an OAuth client sign access tokens")
        }
        let kid = JWKIdentifier(string: issued.key.id.rawValue)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: issued.secret), digestAlgorithm: .sha256, kid: kid)
        return try await keys.sign(
            Claims(scope: issued.key.scope.rawValue, appId: appId.rawValue, azp: clientId.rawValue, iat: IssuedAtClaim(value: issuedAt.date)),
            kid: kid)
    }
}

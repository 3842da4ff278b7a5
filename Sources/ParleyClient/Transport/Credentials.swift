import Crypto
import Foundation

/// How a ``SunshineClient`` proves who it is: an API key sent as HTTP Basic, an API key used to sign
/// an HS256 JWT, or an OAuth access token.
///
/// Basic is the simplest and what the README uses. A JWT never sends the secret over the wire; a
/// bearer token is what an OAuth integration holds after ``OAuthAPI/getToken(code:clientId:clientSecret:redirectURI:)``.
public enum Credentials: Sendable, Hashable {
    /// `Authorization: Basic base64(keyId:secret)`: an account key (`act_…`), app key (`app_…`) or
    /// custom integration key (`int_…`).
    case basic(keyId: String, secret: String)
    /// `Authorization: Bearer <JWT>`: the client signs an HS256 JWT whose header carries `kid: keyId` and
    /// whose payload is `{"scope": scope}`. The token is signed once, when the client is made.
    case jwt(keyId: String, secret: String, scope: JWTScope)
    /// `Authorization: Bearer <token>`: an OAuth access token (or a JWT signed elsewhere).
    case bearer(String)

    /// The `Authorization` header value these credentials send.
    public var authorizationHeader: String {
        switch self {
        case .basic(let keyId, let secret):
            "Basic " + Data("\(keyId):\(secret)".utf8).base64EncodedString()
        case .jwt(let keyId, let secret, let scope):
            "Bearer " + JWTSigner.sign(keyId: keyId, secret: secret, scope: scope)
        case .bearer(let token):
            "Bearer " + token
        }
    }
}

extension Credentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind and key id, never the secret or token: credentials end up in logs.
    public var description: String {
        switch self {
        case .basic(let keyId, _): "basic(\(keyId))"
        case .jwt(let keyId, _, let scope): "jwt(\(keyId), scope: \(scope))"
        case .bearer: "bearer(…)"
        }
    }

    public var debugDescription: String { description }
}


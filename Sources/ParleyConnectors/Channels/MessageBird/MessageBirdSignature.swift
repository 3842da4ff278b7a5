import Crypto
import Foundation
import ParleyDomain
import ParleyWire

/// MessageBird's signed requests, `MessageBird-Signature-JWT`: a JWT signed with HMAC (HS256, HS384
/// or HS512) under the account's signing key, whose claims are `iss: "MessageBird"`, `nbf` and
/// `exp` (a minute apart), `jti`, `url_hash` (SHA-256 hex of the full URL MessageBird called,
/// scheme to query string) and, when the request has a body, `payload_hash` (SHA-256 hex of the
/// raw body). A body without `payload_hash` is refused, as MessageBird's SDKs refuse it.
/// Verified here with swift-crypto (jwt-kit traps on HMAC keys shorter than the digest, and a
/// signing key is whatever the operator typed).
enum MessageBirdSignature {
    /// How far MessageBird's clock and Parley's may disagree: MessageBird's SDKs allow 5 seconds.
    static let leewaySeconds: Double = 5

    /// Why a signature was refused, for the 401's title.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    /// Checks `token` for a request to `url` carrying `body`, at `now`. Throws `Refusal`.
    static func verify(_ token: String?, url: String, body: [UInt8], signingKey: String, now: Date) throws {
        guard let token, !token.isEmpty else { throw Refusal(reason: "The request has no MessageBird-Signature-JWT") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64URL(parts[0]), let claimsBytes = base64URL(parts[1]), let signature = base64URL(parts[2]),
            case .object(let header)? = try? JSONParser.decode(Data(headerBytes)),
            case .object(let claims)? = try? JSONParser.decode(Data(claimsBytes))
        else { throw Refusal(reason: "The MessageBird-Signature-JWT is not a JWT") }
        let key = SymmetricKey(data: Data(signingKey.utf8))
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        let valid: Bool
        switch header["alg"] {
        case .string("HS256"): valid = HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: key)
        case .string("HS384"): valid = HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: signed, using: key)
        case .string("HS512"): valid = HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: signed, using: key)
        default: throw Refusal(reason: "The MessageBird-Signature-JWT must be signed with HS256, HS384 or HS512")
        }
        guard valid else { throw Refusal(reason: "The MessageBird-Signature-JWT is not signed with this integration's signingKey") }
        guard claims["iss"] == .string("MessageBird") else { throw Refusal(reason: "The MessageBird-Signature-JWT was not issued by MessageBird") }
        let seconds = now.timeIntervalSince1970
        guard let expires = JSONValue.number(claims["exp"]), seconds < expires + leewaySeconds else {
            throw Refusal(reason: "The MessageBird-Signature-JWT has expired (or has no exp)")
        }
        if let notBefore = JSONValue.number(claims["nbf"]), seconds + leewaySeconds < notBefore {
            throw Refusal(reason: "The MessageBird-Signature-JWT is not valid yet (nbf)")
        }
        guard case .string(let jti)? = claims["jti"], !jti.isEmpty else { throw Refusal(reason: "The MessageBird-Signature-JWT has no jti") }
        guard case .string(let urlHash)? = claims["url_hash"], matches(urlHash, Array(url.utf8)) else {
            throw Refusal(reason: "The MessageBird-Signature-JWT was signed for another URL (is PARLEY_PUBLIC_URL the URL MessageBird calls?)")
        }
        switch claims["payload_hash"] {
        case .string(let payloadHash)?:
            guard matches(payloadHash, body) else { throw Refusal(reason: "The MessageBird-Signature-JWT was signed for another body") }
        case nil, .null?:
            guard body.isEmpty else { throw Refusal(reason: "The MessageBird-Signature-JWT signs no body, but the request has one") }
        default:
            throw Refusal(reason: "The MessageBird-Signature-JWT's payload_hash is not a string")
        }
    }

    /// Whether `hex` is the SHA-256 of `bytes` (either case of hex digits).
    private static func matches(_ hex: String, _ bytes: [UInt8]) -> Bool {
        guard let given = Hex.bytes(hex) else { return false }
        return given == Array(SHA256.hash(data: bytes))
    }

    /// Base64url without padding, as JWTs spell their parts.
    private static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

import Foundation
import JWTKit

/// JWTs as clients make them, signed by jwt-kit (never by hand), plus the malformed ones an
/// attacker would send.
enum Tokens {
    struct Claims: JWTPayload {
        var scope: String?
        var exp: ExpirationClaim?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func sign(
        kid: String?, secret: String, scope: String?, digest: DigestAlgorithm = .sha256, expires: Date? = nil
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
        var header = JWTHeader()
        header.kid = kid
        return try await keys.sign(Claims(scope: scope, exp: expires.map(ExpirationClaim.init)), header: header)
    }

    /// `alg: none` with no signature, the classic bypass attempt.
    static func unsigned(kid: String, scope: String) -> String {
        func encode(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return encode(#"{"alg":"none","typ":"JWT","kid":"\#(kid)"}"#) + "." + encode(#"{"scope":"\#(scope)"}"#) + "."
    }
}

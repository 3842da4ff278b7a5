import Crypto
import Foundation

/// Signs the HS256 JWTs of ``Credentials/jwt(keyId:secret:scope:)`` with swift-crypto's HMAC, so the
/// library needs no JWT dependency: the token is a fixed header and a one-claim payload.
enum JWTSigner {
    static func sign(keyId: String, secret: String, scope: JWTScope) -> String {
        // JSONSerialization would reorder nothing we care about, but building the JSON by hand
        // keeps the bytes stable; both values are escaped as JSON strings.
        let header = #"{"alg":"HS256","typ":"JWT","kid":\#(jsonString(keyId))}"#
        let payload = #"{"scope":\#(jsonString(scope.rawValue))}"#
        let signingInput = base64URL(Data(header.utf8)) + "." + base64URL(Data(payload.utf8))
        let key = SymmetricKey(data: Data(secret.utf8))
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + base64URL(Data(signature))
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `value` as a JSON string literal, quotes included.
    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

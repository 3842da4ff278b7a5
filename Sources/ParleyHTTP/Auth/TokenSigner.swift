import Crypto
import Foundation

/// Stateless signed tokens for Parley's own pages: `{prefix}{claims}.{mac}`, the claims as JSON,
/// then HMAC-SHA256 over everything before the last dot with a key derived from the server key
/// (HKDF, a label per use, so a token of one kind never verifies as another), both base64url.
struct TokenSigner: Sendable {
    let prefix: String
    private let key: SymmetricKey

    init(serverKey: [UInt8], label: String, prefix: String) {
        self.prefix = prefix
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: serverKey), info: Data(label.utf8), outputByteCount: 32)
    }

    func sign<Claims: Encodable>(_ claims: Claims) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = prefix + Self.base64URL(try encoder.encode(claims))
        return body + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key)))
    }

    /// The claims of a token this key signed; nil for anything else.
    func verify<Claims: Decodable>(_ token: String, as type: Claims.Type) -> Claims? {
        guard token.utf8.count < 4096, token.hasPrefix(prefix), let dot = token.lastIndex(of: ".") else { return nil }
        let body = token[..<dot]
        guard let mac = Self.data(base64URL: token[token.index(after: dot)...]),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(body.utf8), using: key),
            let json = Self.data(base64URL: body.dropFirst(prefix.count))
        else { return nil }
        return try? JSONDecoder().decode(type, from: json)
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

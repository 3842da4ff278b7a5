import Crypto
import Foundation

/// Twilio's request signature, `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the
/// account's auth token, over the full URL Twilio called (scheme to query string) followed by
/// every POST parameter's name and value, sorted by name, with no separators.
enum TwilioSignature {
    static func sign(url: String, parameters: [(name: String, value: String)], authToken: String) -> String {
        Data(code(url: url, parameters: parameters, authToken: authToken)).base64EncodedString()
    }

    /// Compared in constant time (swift-crypto's MAC check); a header that is not base64 of 20
    /// bytes is simply not valid.
    static func isValid(_ header: String?, url: String, parameters: [(name: String, value: String)], authToken: String) -> Bool {
        guard let header, let given = Data(base64Encoded: header), given.count == Insecure.SHA1.byteCount else { return false }
        return HMAC<Insecure.SHA1>.isValidAuthenticationCode(
            given, authenticating: signedBytes(url: url, parameters: parameters), using: SymmetricKey(data: Data(authToken.utf8)))
    }

    private static func code(url: String, parameters: [(name: String, value: String)], authToken: String) -> HashedAuthenticationCode<Insecure.SHA1> {
        HMAC<Insecure.SHA1>.authenticationCode(for: signedBytes(url: url, parameters: parameters), using: SymmetricKey(data: Data(authToken.utf8)))
    }

    /// Sorted by name (bytewise, as Twilio's helper libraries sort), a repeated name's values in
    /// order of value.
    private static func signedBytes(url: String, parameters: [(name: String, value: String)]) -> Data {
        var text = url
        let sorted = parameters.sorted { ($0.name.utf8.lexicographicallyPrecedes($1.name.utf8)) || ($0.name == $1.name && $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)) }
        for parameter in sorted { text += parameter.name + parameter.value }
        return Data(text.utf8)
    }
}

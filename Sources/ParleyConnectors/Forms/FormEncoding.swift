import Foundation

/// What providers' APIs take (Mailgun, Twilio): `application/x-www-form-urlencoded` bodies, with
/// everything but unreserved characters percent-encoded and fields in the order given, and path
/// segments made of settings (a domain, an account SID).
enum FormEncoding {
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    static func urlEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

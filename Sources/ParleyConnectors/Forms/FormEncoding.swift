import Foundation

/// `application/x-www-form-urlencoded` bodies, as providers' APIs take them (Mailgun, Twilio):
/// everything but unreserved characters percent-encoded, fields in the order given.
enum FormEncoding {
    static func urlEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// `POST /oauth/token`'s parameters: a JSON object as the spec shows it, or a form as RFC 6749
/// §4.1.3 does; the client's credentials in the body or, as RFC 6749 §2.3.1 prefers, as Basic
/// credentials — not both.
struct TokenRequest {
    private var values: [String: String]
    let clientId: String?
    let clientSecret: String?

    subscript(name: String) -> String? { values[name] }

    init(_ request: Request, context: APIRequestContext) async throws {
        let contentType = request.headers[.contentType]
        let body = Array(buffer: try await request.body.collect(upTo: 64 * 1024))
        if let form = FormFields(contentType: contentType, body: body), contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            values = form.values
        } else if contentType?.lowercased().hasPrefix("application/json") == true {
            // `decode`, not `parse`: the fast parser declines some valid JSON (numbers beyond its
            // range) and leaves it to Foundation.
            guard case .object(let object)? = try? JSONParser.decode(Data(body)) else {
                throw OAuthFailure(.invalidRequest, "The body must be a JSON object")
            }
            values = object.compactMapValues { value in
                if case .string(let text) = value { return text }
                return nil
            }
        } else {
            throw OAuthFailure(.invalidRequest, "Send the parameters as application/json or application/x-www-form-urlencoded")
        }
        if let authorization = request.headers[.authorization] {
            guard values["client_id"] == nil || values["client_secret"] == nil else {
                throw OAuthFailure(.invalidRequest, "Authenticate the client one way: Basic credentials or client_secret, not both")
            }
            guard let (id, secret) = Self.basicCredentials(authorization) else {
                throw OAuthFailure(.invalidClient, "Malformed Basic credentials")
            }
            clientId = id
            clientSecret = secret
        } else {
            clientId = values["client_id"]
            clientSecret = values["client_secret"]
        }
    }

    /// RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined by the colon.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", let decoded = Data(base64Encoded: String(parts[1]))
        else { return nil }
        let text = String(decoding: decoded, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":"),
            let id = PercentEncoding.decode(text[..<colon], plusIsSpace: true),
            let secret = PercentEncoding.decode(text[text.index(after: colon)...], plusIsSpace: true)
        else { return nil }
        return (id, secret)
    }
}

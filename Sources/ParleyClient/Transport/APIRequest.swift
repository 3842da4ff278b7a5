import Foundation
import NIOHTTP1

/// One operation's request, before credentials, `Idempotency-Key` and retries are added.
struct APIRequest: Sendable {
    var method: HTTPMethod
    /// The path, its parameters already escaped (`/v2/apps/…`).
    var path: String
    var query: [QueryItem] = []
    var body: Data?
    var contentType: String?
    /// False for the OAuth calls the spec marks `security: []` (GetToken): no `Authorization` sent.
    var authenticated = true

    init(_ method: HTTPMethod, _ path: String, query: [QueryItem] = [], authenticated: Bool = true) {
        self.method = method
        self.path = path
        self.query = query
        self.authenticated = authenticated
    }

    /// The same request with `value` encoded as its JSON body.
    func json(_ value: some Encodable) throws(SunshineClientError) -> APIRequest {
        var copy = self
        do {
            copy.body = try WireCoding.encoder().encode(value)
        } catch {
            throw .invalidRequest("the body could not be encoded: \(error)")
        }
        copy.contentType = "application/json"
        return copy
    }

    var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + URLEncoding.query(query)
    }
}

/// A provider's call to an inbound endpoint, as the channel needs it to check the signature and
/// read the content: nothing of it is trusted until the channel has checked.
public struct InboundRequest: Sendable {
    /// A provider's calls are POSTs; a person opening a link a message showed (an email's
    /// postback button) sends GET first.
    public enum Method: Sendable {
        case get, post
    }

    public var method: Method
    public var appId: ResourceID
    public var integrationId: ResourceID
    /// The last path component: `messages`, `events`, `message`, `status`.
    public var endpoint: String
    /// The URL the provider called, as it spelled it: `PARLEY_PUBLIC_URL` (else the `Host` the
    /// request came to), the path and the query. Twilio signs it.
    public var url: String
    /// The base of every URL Parley gives out (an attachment's `mediaUrl`): `PARLEY_PUBLIC_URL`,
    /// else the Host the request came to; no trailing slash.
    public var baseURL: String
    /// The request's query parameters, percent-decoded.
    public var query: [String: String]
    /// Header values by lowercased name.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(
        method: Method = .post, appId: ResourceID, integrationId: ResourceID, endpoint: String, url: String, baseURL: String = "",
        query: [String: String] = [:], headers: [String: String], body: [UInt8]
    ) {
        self.baseURL = baseURL
        self.method = method
        self.appId = appId
        self.integrationId = integrationId
        self.endpoint = endpoint
        self.url = url
        self.query = query
        self.headers = headers
        self.body = body
    }

    public var contentType: String? { headers["content-type"] }
}

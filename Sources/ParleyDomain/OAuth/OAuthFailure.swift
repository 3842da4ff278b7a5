/// An OAuth error (RFC 6749 §4.1.2.1 and §5.2): its code is the RFC's `error` value.
public struct OAuthFailure: Error, Hashable, Sendable {
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedResponseType = "unsupported_response_type"
        case accessDenied = "access_denied"
    }

    public let code: Code
    public let description: String
    /// Authorization requests only: where the error may be sent back (RFC 6749 §4.1.2.1), nil when
    /// the client or its redirect URI is itself in doubt and the error must be shown instead.
    public let redirect: OAuthAuthorizationRequest?

    public init(_ code: Code, _ description: String, redirect: OAuthAuthorizationRequest? = nil) {
        self.code = code
        self.description = description
        self.redirect = redirect
    }
}

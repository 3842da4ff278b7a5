/// GetToken's answer: an access token for ``Credentials/bearer(_:)``.
public struct OAuthToken: Codable, Sendable, Hashable {
    public var accessToken: String
    /// `Bearer`.
    public var tokenType: String?

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
    }
}

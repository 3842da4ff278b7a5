/// An API key: an app key (`app_…`, App Keys) or a custom integration key (`int_…`, Custom
/// Integration Keys). Both have the same shape.
public struct APIKey: Codable, Sendable, Hashable, Identifiable {
    /// The key id, used as the Basic username or the JWT `kid`.
    public var id: String
    public var displayName: String?
    /// The secret, used as the Basic password or the JWT's HMAC key.
    public var secret: String?
}

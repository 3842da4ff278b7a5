/// The profile part of UpdateUser's body: fields left nil stay, `.null` clears one.
public struct UserProfileUpdate: Codable, Sendable, Hashable {
    public var givenName: Nullable<String>?
    public var surname: Nullable<String>?
    public var email: Nullable<String>?
    public var avatarUrl: Nullable<String>?
    public var locale: Nullable<String>?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        givenName: Nullable<String>? = nil, surname: Nullable<String>? = nil, email: Nullable<String>? = nil,
        avatarUrl: Nullable<String>? = nil, locale: Nullable<String>? = nil
    ) {
        self.givenName = givenName
        self.surname = surname
        self.email = email
        self.avatarUrl = avatarUrl
        self.locale = locale
    }
}

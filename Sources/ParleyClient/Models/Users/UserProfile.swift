/// A user's profile. In CreateUser's body only the fields set are sent.
public struct UserProfile: Codable, Sendable, Hashable {
    public var givenName: String?
    public var surname: String?
    public var email: String?
    public var avatarUrl: String?
    /// A BCP 47 locale, e.g. `en-CA`.
    public var locale: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(givenName: String? = nil, surname: String? = nil, email: String? = nil, avatarUrl: String? = nil, locale: String? = nil) {
        self.givenName = givenName
        self.surname = surname
        self.email = email
        self.avatarUrl = avatarUrl
        self.locale = locale
    }
}

/// What the user is called and how to show them.
public struct Profile: Hashable, Sendable, Codable {
    public var givenName: String?
    public var surname: String?
    public var email: String?
    public var avatarUrl: String?
    public var locale: String?

    public init(givenName: String? = nil, surname: String? = nil, email: String? = nil, avatarUrl: String? = nil, locale: String? = nil) {
        self.givenName = givenName
        self.surname = surname
        self.email = email
        self.avatarUrl = avatarUrl
        self.locale = locale
    }
}

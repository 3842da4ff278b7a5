/// A partial profile, field by field: left out keeps, null clears, a value replaces.
public struct ProfilePatch: Sendable {
    public var givenName: Patch<String> = .absent
    public var surname: Patch<String> = .absent
    public var email: Patch<String> = .absent
    public var avatarUrl: Patch<String> = .absent
    public var locale: Patch<String> = .absent

    public init() {}

    func validated() throws -> ProfilePatch {
        if case .value(let value) = givenName { try Rules.length(value, 1...128, field: "profile.givenName") }
        if case .value(let value) = surname { try Rules.length(value, 1...128, field: "profile.surname") }
        if case .value(let value) = email { try Rules.email(value, field: "profile.email") }
        if case .value(let value) = avatarUrl { try Rules.uri(value, field: "profile.avatarUrl") }
        if case .value(let value) = locale { try Rules.length(value, 1...64, field: "profile.locale") }
        return self
    }

    func applied(to profile: Profile) -> Profile {
        Profile(
            givenName: givenName.apply(to: profile.givenName),
            surname: surname.apply(to: profile.surname),
            email: email.apply(to: profile.email),
            avatarUrl: avatarUrl.apply(to: profile.avatarUrl),
            locale: locale.apply(to: profile.locale)
        )
    }
}

import ParleyDomain

/// `user` as the API shows it. Unset optional fields are left out (docs/DECISIONS.md).
struct UserWire: Encodable {
    var id: String
    var externalId: String?
    var zendeskId: String?
    var brandId: String?
    var signedUpAt: String
    var toBeRetained: Bool
    var profile: Profile
    var metadata: Metadata
    var identities: [Identity]
    var authenticated: Bool

    init(_ user: User) {
        self.id = user.id.rawValue
        self.externalId = user.externalId
        self.zendeskId = user.zendeskId
        self.brandId = user.brandId
        self.signedUpAt = user.signedUpAt.iso8601
        self.toBeRetained = user.toBeRetained
        self.profile = user.profile
        self.metadata = user.metadata
        self.identities = user.identities
        self.authenticated = user.authenticated
    }
}

struct UserEnvelope: Encodable {
    var user: UserWire
}

struct UserListEnvelope: Encodable {
    var users: [UserWire]
}

/// CreateUser and UpdateUser bodies (`userCreateBody`, `userUpdateBody`).
struct UserBody: Decodable {
    var draft = UserDraft()

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        draft.externalId = try container.decodeNonNull(String.self, forKey: AnyKey("externalId"))
        draft.brandId = try container.decodeIfPresent(String.self, forKey: AnyKey("brandId"))
        draft.signedUpAt = try container.decodePatch(String.self, forKey: AnyKey("signedUpAt"))
        draft.toBeRetained = try container.decodeNonNull(Bool.self, forKey: AnyKey("toBeRetained"))
        draft.metadata = try container.decodePatch([String: JSONValue].self, forKey: AnyKey("metadata"))
        if try container.decodeNonNull(JSONValue.self, forKey: AnyKey("profile")) != nil {
            let profile = try container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("profile"))
            draft.profile.givenName = try profile.decodePatch(String.self, forKey: AnyKey("givenName"))
            draft.profile.surname = try profile.decodePatch(String.self, forKey: AnyKey("surname"))
            draft.profile.email = try profile.decodePatch(String.self, forKey: AnyKey("email"))
            draft.profile.avatarUrl = try profile.decodePatch(String.self, forKey: AnyKey("avatarUrl"))
            draft.profile.locale = try profile.decodePatch(String.self, forKey: AnyKey("locale"))
        }
    }
}

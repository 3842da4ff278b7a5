import ParleyDomain
import ParleyWire

/// `user` as the API shows it; rendered by the domain's one user rendering (also used in webhook
/// payloads), so the two can never drift apart. Unset optional fields are left out.
public struct UserWire: Encodable {
    public let user: User

    public init(_ user: User) {
        self.user = user
    }

    public func encode(to encoder: any Encoder) throws {
        try UserJSON.full(user).encode(to: encoder)
    }
}

public struct UserEnvelope: Encodable {
    public var user: UserWire

    public init(user: UserWire) {
        self.user = user
    }
}

public struct UserListEnvelope: Encodable {
    public var users: [UserWire]

    public init(users: [UserWire]) {
        self.users = users
    }
}

/// CreateUser and UpdateUser bodies (`userCreateBody`, `userUpdateBody`).
public struct UserBody: Decodable {
    public var draft = UserDraft()

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        draft.externalId = try container.decodeNonNull(String.self, forKey: AnyKey("externalId"))
        draft.brandId = try container.decodeOptional(String.self, forKey: AnyKey("brandId"))
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

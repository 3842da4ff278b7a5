import ParleyDomain

/// A user on the wire: `user` in full (GetUser and the webhook payloads that may carry it) and
/// `userTruncated`. The one rendering of a user, for responses and events alike.
public enum UserJSON {
    /// `userTruncated`.
    public static func truncated(_ user: User) -> JSONValue {
        .object(truncatedFields(user))
    }

    /// `user`, exactly as GetUser shows it.
    public static func full(_ user: User) -> JSONValue {
        var json = truncatedFields(user)
        json["signedUpAt"] = .string(user.signedUpAt.iso8601)
        json["toBeRetained"] = .bool(user.toBeRetained)
        json["metadata"] = .object(user.metadata.values)
        json["identities"] = .array(user.identities.map {
            var identity: [String: JSONValue] = ["type": .string($0.type), "value": .string($0.value)]
            if let verification = $0.verification { identity["verification"] = .string(verification) }
            return .object(identity)
        })
        var profile: [String: JSONValue] = [:]
        for (key, value) in [("givenName", user.profile.givenName), ("surname", user.profile.surname), ("email", user.profile.email),
                             ("avatarUrl", user.profile.avatarUrl), ("locale", user.profile.locale)] {
            if let value { profile[key] = .string(value) }
        }
        json["profile"] = .object(profile)
        if let brandId = user.brandId { json["brandId"] = .string(brandId) }
        if let zendeskId = user.zendeskId { json["zendeskId"] = .string(zendeskId) }
        return .object(json)
    }

    private static func truncatedFields(_ user: User) -> [String: JSONValue] {
        var json: [String: JSONValue] = ["id": .string(user.id.rawValue), "authenticated": .bool(user.authenticated)]
        if let externalId = user.externalId { json["externalId"] = .string(externalId) }
        return json
    }
}

/// Who wrote a message, or who reports an activity.
public struct Author: Codable, Sendable, Hashable {
    public var type: AuthorType
    /// Exactly one of `AI`, `activity`, `agent`, `bot` (business authors).
    public var subtypes: [AuthorSubtype]?
    /// The user, for `user` authors.
    public var userId: String?
    /// The user by externalId, for `user` authors (sent, never returned).
    public var userExternalId: String?
    /// Narrows `userExternalId` to a brand's users (sent, never returned).
    public var brandId: String?
    public var displayName: String?
    public var avatarUrl: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        type: AuthorType, subtypes: [AuthorSubtype]? = nil, userId: String? = nil, userExternalId: String? = nil, brandId: String? = nil,
        displayName: String? = nil, avatarUrl: String? = nil
    ) {
        self.type = type
        self.subtypes = subtypes
        self.userId = userId
        self.userExternalId = userExternalId
        self.brandId = brandId
        self.displayName = displayName
        self.avatarUrl = avatarUrl
    }

    /// The business, optionally with a name and picture.
    public static func business(displayName: String? = nil, avatarUrl: String? = nil) -> Author {
        Author(type: .business, displayName: displayName, avatarUrl: avatarUrl)
    }

    /// A user by id.
    public static func user(id: String) -> Author {
        Author(type: .user, userId: id)
    }

    /// A user by externalId.
    public static func user(externalId: String, brandId: String? = nil) -> Author {
        Author(type: .user, userExternalId: externalId, brandId: brandId)
    }
}

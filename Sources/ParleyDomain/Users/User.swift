/// An end user of an app.
public struct User: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    public var externalId: String?
    public var zendeskId: String?
    public var brandId: String?
    public var signedUpAt: Timestamp
    public var toBeRetained: Bool
    public var profile: Profile
    public var metadata: Metadata
    public var identities: [Identity]
    /// Whether the user was identified by a trusted party (see docs/DECISIONS.md).
    public var authenticated: Bool

    public init(
        id: ResourceID, appId: ResourceID, externalId: String? = nil, zendeskId: String? = nil, brandId: String? = nil,
        signedUpAt: Timestamp, toBeRetained: Bool = false, profile: Profile = Profile(), metadata: Metadata = Metadata(),
        identities: [Identity] = [], authenticated: Bool = false
    ) {
        self.id = id
        self.appId = appId
        self.externalId = externalId
        self.zendeskId = zendeskId
        self.brandId = brandId
        self.signedUpAt = signedUpAt
        self.toBeRetained = toBeRetained
        self.profile = profile
        self.metadata = metadata
        self.identities = identities
        self.authenticated = authenticated
    }
}

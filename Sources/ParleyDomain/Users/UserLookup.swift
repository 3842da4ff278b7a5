/// How a route names a user: `{userIdOrExternalId}` plus the optional `brandId` query parameter.
///
/// The id wins when both an id and an externalId match (an externalId may look like an id).
public struct UserLookup: Hashable, Sendable {
    public var appId: ResourceID
    public var idOrExternalId: String
    public var brandId: String?

    public init(appId: ResourceID, idOrExternalId: String, brandId: String? = nil) {
        self.appId = appId
        self.idOrExternalId = idOrExternalId
        self.brandId = brandId
    }
}

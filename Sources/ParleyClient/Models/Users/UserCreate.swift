import Foundation

/// CreateUser's body: only the fields set are sent. A duplicate `externalId` is 409 `conflict`.
public struct UserCreate: Codable, Sendable, Hashable {
    public var externalId: String?
    public var brandId: String?
    public var signedUpAt: Date?
    public var toBeRetained: Bool?
    public var profile: UserProfile?
    public var metadata: JSONObject?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        externalId: String? = nil, brandId: String? = nil, signedUpAt: Date? = nil, toBeRetained: Bool? = nil, profile: UserProfile? = nil,
        metadata: JSONObject? = nil
    ) {
        self.externalId = externalId
        self.brandId = brandId
        self.signedUpAt = signedUpAt
        self.toBeRetained = toBeRetained
        self.profile = profile
        self.metadata = metadata
    }
}

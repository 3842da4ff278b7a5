import Foundation

/// UpdateUser's body: only the fields set are sent (`externalId` cannot change).
public struct UserUpdate: Codable, Sendable, Hashable {
    public var signedUpAt: Date?
    public var toBeRetained: Bool?
    /// Profile fields to set or clear; the others stay.
    public var profile: UserProfileUpdate?
    /// Replaces the metadata; `.null` empties it.
    public var metadata: Nullable<JSONObject>?

    /// Makes one from its fields; those left nil are not sent.
    public init(signedUpAt: Date? = nil, toBeRetained: Bool? = nil, profile: UserProfileUpdate? = nil, metadata: Nullable<JSONObject>? = nil) {
        self.signedUpAt = signedUpAt
        self.toBeRetained = toBeRetained
        self.profile = profile
        self.metadata = metadata
    }
}

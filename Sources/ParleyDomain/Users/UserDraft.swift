/// What CreateUser and UpdateUser carry, decoded but not yet validated.
public struct UserDraft: Sendable {
    public var externalId: String?
    public var brandId: String?
    public var signedUpAt: Patch<String> = .absent
    public var toBeRetained: Bool?
    public var profile = ProfilePatch()
    public var metadata: Patch<[String: JSONValue]> = .absent

    public init() {}
}

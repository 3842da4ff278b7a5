/// A verified identity of a user, e.g. `{type: "email", value: "ana@example.com", verification: "sso"}`.
public struct Identity: Codable, Sendable, Hashable {
    public var type: String?
    public var value: String?
    public var verification: String?
}

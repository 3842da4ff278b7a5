/// A verified way to reach the user (an email address, say), set by channels, never by the API.
public struct Identity: Hashable, Sendable, Codable {
    public var type: String
    public var value: String
    public var verification: String?

    public init(type: String, value: String, verification: String? = nil) {
        self.type = type
        self.value = value
        self.verification = verification
    }
}

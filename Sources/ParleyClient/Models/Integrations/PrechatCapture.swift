/// The web messenger's form shown before the first message.
public struct PrechatCapture: Codable, Sendable, Hashable {
    public var avatarUrl: String?
    public var enabled: Bool?
    public var enableEmailLinking: Bool?
    public var fields: [FormField]?

    /// Makes one from its fields; those left nil are not sent.
    public init(avatarUrl: String? = nil, enabled: Bool? = nil, enableEmailLinking: Bool? = nil, fields: [FormField]? = nil) {
        self.avatarUrl = avatarUrl
        self.enabled = enabled
        self.enableEmailLinking = enableEmailLinking
        self.fields = fields
    }
}

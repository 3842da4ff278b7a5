/// One channel's override payload (Apple's also names the capabilities it needs:
/// `LIST`, `TIME`, `FORM`, `QUICK`, `AUTH2`).
public struct ChannelOverride: Codable, Sendable, Hashable {
    public var payload: JSONValue?
    public var withCapabilities: [String]?

    /// Makes one from its fields; those left nil are not sent.
    public init(payload: JSONValue? = nil, withCapabilities: [String]? = nil) {
        self.payload = payload
        self.withCapabilities = withCapabilities
    }
}

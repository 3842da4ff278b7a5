/// `location` content: a point on the map.
public struct LocationContent: Codable, Sendable, Hashable {
    public var coordinates: Coordinates
    public var location: LocationInfo?
    /// The fallback text ("Location shared: …"), set by the server.
    public var text: String?
    public var blockChatInput: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(coordinates: Coordinates, location: LocationInfo? = nil, blockChatInput: Bool? = nil) {
        self.coordinates = coordinates
        self.location = location
        self.blockChatInput = blockChatInput
    }
}

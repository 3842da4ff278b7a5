/// Where a business message is delivered: one integration, or one channel type (exactly one).
public struct Destination: Codable, Sendable, Hashable {
    public var integrationId: String?
    public var integrationType: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(integrationId: String? = nil, integrationType: String? = nil) {
        self.integrationId = integrationId
        self.integrationType = integrationType
    }

    /// Through this integration only.
    public static func integration(_ id: String) -> Destination { Destination(integrationId: id) }
    /// Through this channel type only (`"none"`: not delivered at all).
    public static func integrationType(_ type: String) -> Destination { Destination(integrationType: type) }
}

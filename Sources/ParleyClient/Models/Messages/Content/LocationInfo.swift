/// The name and address of a shared location.
public struct LocationInfo: Codable, Sendable, Hashable {
    public var address: String?
    public var name: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(address: String? = nil, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

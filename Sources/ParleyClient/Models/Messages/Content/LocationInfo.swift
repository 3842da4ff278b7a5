/// The name and address of a shared location.
public struct LocationInfo: Codable, Sendable, Hashable {
    public var address: String?
    public var name: String?

    public init(address: String? = nil, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

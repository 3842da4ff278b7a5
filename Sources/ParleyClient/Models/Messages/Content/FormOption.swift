/// A choice of a `select` form field.
public struct FormOption: Codable, Sendable, Hashable {
    public var label: String?
    public var name: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(label: String, name: String) {
        self.label = label
        self.name = name
    }
}

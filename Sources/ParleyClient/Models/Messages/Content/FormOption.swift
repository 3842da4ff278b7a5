/// A choice of a `select` form field.
public struct FormOption: Codable, Sendable, Hashable {
    public var label: String?
    public var name: String?

    public init(label: String, name: String) {
        self.label = label
        self.name = name
    }
}

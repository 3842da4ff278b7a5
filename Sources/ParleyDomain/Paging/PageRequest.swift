/// Which slice of a list a client asked for: `page[after]`, `page[before]`, `page[size]`.
public struct PageRequest: Hashable, Sendable {
    public enum Cursor: Hashable, Sendable {
        case first
        case after(ResourceID)
        case before(ResourceID)
    }

    public static let defaultSize = 25
    public static let sizeRange = 1...100

    public var cursor: Cursor
    public var size: Int

    public init(cursor: Cursor = .first, size: Int = PageRequest.defaultSize) {
        self.cursor = cursor
        self.size = size
    }
}

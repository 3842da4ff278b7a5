/// Which page of a cursor-paginated list to fetch: `page[after]`, `page[before]` (record ids; at
/// most one of the two) and `page[size]` (1–100, default 25; ListMessages always answers 100).
public struct PageQuery: Sendable, Hashable {
    /// Records after this id (the next page).
    public var after: String?
    /// Records before this id (the previous page; how ListMessages goes back in time).
    public var before: String?
    /// Records per page, 1–100.
    public var size: Int?

    /// A page after or before a record id (at most one of the two), of `size` records.
    public init(after: String? = nil, before: String? = nil, size: Int? = nil) {
        self.after = after
        self.before = before
        self.size = size
    }

    /// The first page (the newest, for messages) with the server's default size.
    public static let first = PageQuery()

    var items: [QueryItem] {
        var items: [QueryItem] = []
        if let after { items.append(QueryItem("page[after]", after)) }
        if let before { items.append(QueryItem("page[before]", before)) }
        if let size { items.append(QueryItem("page[size]", String(size))) }
        return items
    }
}

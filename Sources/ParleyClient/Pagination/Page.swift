/// One page of a list operation, with what the answer says about the pages around it.
///
/// `hasMore` is about the direction of travel: records after this page when it was fetched
/// forwards (the default), before it when fetched with ``PageQuery/before`` (and for ListMessages'
/// first page, which is the newest). The cursors are the record ids to pass as ``PageQuery/after``
/// or ``PageQuery/before``; the links are the server's absolute URLs for the same pages.
public struct Page<Element: Sendable>: Sendable {
    /// The records of this page, in the server's order.
    public var items: [Element]
    /// Whether more records exist in the direction of travel.
    public var hasMore: Bool
    /// `meta.afterCursor`: pass as `page[after]` for the next page; nil when there is none.
    public var afterCursor: String?
    /// `meta.beforeCursor`: pass as `page[before]` for the previous page; nil when there is none.
    public var beforeCursor: String?
    /// `links.next`, as the server wrote it.
    public var nextLink: String?
    /// `links.prev`, as the server wrote it.
    public var previousLink: String?

    /// A page with these records and cursors (for tests and stand-ins of the API).
    public init(
        items: [Element], hasMore: Bool, afterCursor: String? = nil, beforeCursor: String? = nil, nextLink: String? = nil,
        previousLink: String? = nil
    ) {
        self.items = items
        self.hasMore = hasMore
        self.afterCursor = afterCursor
        self.beforeCursor = beforeCursor
        self.nextLink = nextLink
        self.previousLink = previousLink
    }
}

extension Page: Equatable where Element: Equatable {}
extension Page: Hashable where Element: Hashable {}

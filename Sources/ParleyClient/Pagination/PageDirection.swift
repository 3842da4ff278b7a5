/// Which way a ``PaginatedSequence`` walks a list.
public enum PageDirection: Sendable, Hashable {
    /// Oldest first, following `meta.afterCursor` (every list but messages).
    case forward
    /// Newest first, following `meta.beforeCursor` (ListMessages, whose first page is the newest).
    case backward
}

/// The pages of a cursor-paginated list, fetched one at a time as they are iterated.
/// See ``PaginatedSequence`` for how the next page is found.
public struct PageSequence<Element: Sendable>: AsyncSequence, Sendable {
    let start: PageQuery
    let direction: PageDirection
    let fetch: PaginatedSequence<Element>.Fetch

    /// An iterator starting at the first page asked for.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(next: start, direction: direction, fetch: fetch)
    }

    /// Fetches the next page when asked, and stops after the last.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var next: PageQuery?
        let direction: PageDirection
        let fetch: PaginatedSequence<Element>.Fetch

        public mutating func next() async throws -> Page<Element>? {
            guard let query = next else { return nil }
            let page = try await fetch(query)
            next = nil
            if page.hasMore {
                switch direction {
                case .forward:
                    // A cursor that does not move would loop forever: stop instead.
                    if let cursor = page.afterCursor, cursor != query.after {
                        next = PageQuery(after: cursor, size: query.size)
                    }
                case .backward:
                    if let cursor = page.beforeCursor, cursor != query.before {
                        next = PageQuery(before: cursor, size: query.size)
                    }
                }
            }
            return page
        }
    }
}

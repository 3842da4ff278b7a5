/// The records of a cursor-paginated list as an `AsyncSequence`, fetching each page only when
/// the records before it have been consumed.
///
/// ```swift
/// for try await user in client.conversations.list(appId: appId, filter: .userExternalId("steve")) { … }
/// ```
///
/// The next page is asked for with the previous answer's cursor (`meta.afterCursor`, or
/// `meta.beforeCursor` going backwards) rather than its `links`: links carry the server's public
/// URL, which need not be the base URL this client reaches it by. Iteration stops when the answer
/// says `hasMore: false` or gives no cursor. Errors are ``SunshineClientError``s, after retries.
/// ``pages`` iterates whole pages instead.
public struct PaginatedSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches one page.
    public typealias Fetch = @Sendable (PageQuery) async throws -> Page<Element>

    let start: PageQuery
    let direction: PageDirection
    let fetch: Fetch

    init(start: PageQuery, direction: PageDirection, fetch: @escaping Fetch) {
        self.start = start
        self.direction = direction
        self.fetch = fetch
    }

    /// The same list page by page.
    public var pages: PageSequence<Element> { PageSequence(start: start, direction: direction, fetch: fetch) }

    /// Every record, fetching all pages: for lists known to be small.
    public func collect() async throws -> [Element] {
        var all: [Element] = []
        for try await element in self { all.append(element) }
        return all
    }

    /// An iterator starting at the first page asked for.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator(), direction: direction)
    }

    /// Yields the buffered page's records, fetching the next page when they run out.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: PageSequence<Element>.AsyncIterator
        let direction: PageDirection
        var buffer: [Element] = []
        var index = 0

        public mutating func next() async throws -> Element? {
            while index >= buffer.count {
                guard let page = try await pages.next() else { return nil }
                // Going backwards the pages come newest first but each is in the server's
                // (oldest-first) order: reversed, the records come newest first throughout.
                buffer = direction == .backward ? page.items.reversed() : page.items
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

/// One page of a list ordered by id (creation order), plus whether records exist on either side.
///
/// The store answers both directions so the API can fill `afterCursor`/`beforeCursor` and
/// `links.next`/`links.prev` without a second round trip from the client.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Records exist after the last item.
    public var hasNext: Bool
    /// Records exist before the first item.
    public var hasPrevious: Bool

    public init(items: [Item], hasNext: Bool, hasPrevious: Bool) {
        self.items = items
        self.hasNext = hasNext
        self.hasPrevious = hasPrevious
    }

    public func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), hasNext: hasNext, hasPrevious: hasPrevious)
    }
}

import Hummingbird
import ParleyDomain
import ParleyWire

/// `{"<items>": [...], "meta": {...}, "links": {...}}`, the shape of every paginated list.
struct PagedEnvelope<Item: Encodable>: Encodable {
    let key: String
    let items: [Item]
    let meta: PageMeta
    let links: PageLinks

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(items, forKey: AnyKey(key))
        try container.encode(meta, forKey: AnyKey("meta"))
        try container.encode(links, forKey: AnyKey("links"))
    }
}

extension APICall {
    /// Answers a paginated list: the page's items mapped to their wire form under `key`, with
    /// cursors and absolute links for this request.
    func pagedResponse<Item, Wire: Encodable>(
        _ page: Page<Item>, request pageRequest: PageRequest, key: String, publicBaseURL: String?, newestFirst: Bool = false,
        id: (Item) -> ResourceID, wire: (Item) -> Wire
    ) throws -> Response {
        let (meta, links) = PageQuery.envelope(
            page, request: pageRequest, location: PageLocation(request: request, publicBaseURL: publicBaseURL),
            newestFirst: newestFirst, id: id)
        return try JSONResponse.make(PagedEnvelope(key: key, items: page.items.map(wire), meta: meta, links: links))
    }
}

import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// `page[after]`, `page[before]`, `page[size]` → a `PageRequest`, and a `Page` → `meta` + `links`.
/// Every paginated operation goes through here.
enum PageQuery {
    static func parse(_ query: QueryParameters) throws -> PageRequest {
        let invalid = ParleyError.badRequest("Invalid page query parameters")
        var request = PageRequest()
        if let size = query["page[size]"] {
            guard let value = Int(size), PageRequest.sizeRange.contains(value) else {
                throw ParleyError.badRequest("Invalid page query parameters: page[size] must be an integer from 1 to 100")
            }
            request.size = value
        }
        switch (query["page[after]"], query["page[before]"]) {
        case (nil, nil): break
        case (let after?, nil):
            guard let id = ResourceID(after) else { throw invalid }
            request.cursor = .after(id)
        case (nil, let before?):
            guard let id = ResourceID(before) else { throw invalid }
            request.cursor = .before(id)
        case (_?, _?):
            throw ParleyError.badRequest("Invalid page query parameters: only one of page[after] or page[before] can be provided")
        }
        return request
    }

    /// `meta.hasMore` answers "is there more in the direction I was paging?"; the cursors and links
    /// are present exactly when a page exists on that side.
    /// `newestFirst`: the list's first page is its newest (messages), so paging goes backwards by default.
    static func envelope<Item>(
        _ page: Page<Item>, request: PageRequest, location: PageLocation, newestFirst: Bool = false, id: (Item) -> ResourceID
    ) -> (PageMeta, PageLinks) {
        let afterCursor = page.hasNext ? page.items.last.map(id) : nil
        let beforeCursor = page.hasPrevious ? page.items.first.map(id) : nil
        let hasMore: Bool
        switch request.cursor {
        case .before: hasMore = page.hasPrevious
        case .first where newestFirst: hasMore = page.hasPrevious
        default: hasMore = page.hasNext
        }
        let sizeSuffix = request.size == PageRequest.defaultSize || newestFirst ? "" : "&page[size]=\(request.size)"
        let meta = PageMeta(hasMore: hasMore, afterCursor: afterCursor?.rawValue, beforeCursor: beforeCursor?.rawValue)
        let links = PageLinks(
            prev: beforeCursor.map { location.link("page[before]=\($0)\(sizeSuffix)") },
            next: afterCursor.map { location.link("page[after]=\($0)\(sizeSuffix)") })
        return (meta, links)
    }
}

struct PageMeta: Encodable {
    var hasMore: Bool
    var afterCursor: String?
    var beforeCursor: String?
}

struct PageLinks: Encodable {
    var prev: String?
    var next: String?
}

/// Where a list lives, for its `links`: the absolute URL and the query parameters (filters) a
/// next or previous page must repeat.
struct PageLocation {
    var url: String
    var keptQuery: [String]

    init(request: Request, publicBaseURL: String?) {
        let host = request.head.authority ?? "localhost"
        let base = publicBaseURL ?? "http://\(host)"
        self.url = base + request.uri.path
        self.keptQuery = (request.uri.query ?? "").split(separator: "&").map(String.init).filter { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first.flatMap { PercentEncoding.decode($0, plusIsSpace: true) } ?? ""
            return !key.hasPrefix("page[")
        }
    }

    func link(_ pageQuery: String) -> String {
        "\(url)?" + (keptQuery + [pageQuery]).joined(separator: "&")
    }
}

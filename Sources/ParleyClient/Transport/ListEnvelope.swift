/// `{"<key>": [items], "meta": {hasMore, afterCursor, beforeCursor}, "links": {next, prev}}`.
struct ListEnvelope<Item: Decodable>: Decodable {
    struct Meta: Decodable {
        var hasMore: Bool?
        var afterCursor: String?
        var beforeCursor: String?
    }

    struct Links: Decodable {
        var next: String?
        var prev: String?
    }

    let items: [Item]
    let meta: Meta?
    let links: Links?

    init(from decoder: any Decoder) throws {
        guard let key = decoder.userInfo[.envelopeKey] as? String else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "No envelope key"))
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        items = try container.decode([Item].self, forKey: AnyCodingKey(key))
        meta = try container.decodeIfPresent(Meta.self, forKey: AnyCodingKey("meta"))
        links = try container.decodeIfPresent(Links.self, forKey: AnyCodingKey("links"))
    }
}

import GRDB
import ParleyDomain

/// Cursor pagination over any table keyed by a creation-ordered `id`, written once for every list.
///
/// One indexed range scan fetches `size + 1` rows in the direction of travel (the extra row says
/// whether more exist that way); one indexed EXISTS probe looks the other way.
enum SQLitePaging {
    /// `newestFirst`: with no cursor, answer the newest page instead of the oldest (messages).
    static func page<Item>(
        _ db: Database, table: String, filter: String, arguments: StatementArguments,
        request: PageRequest, newestFirst: Bool = false, decode: (Row) throws -> Item
    ) throws -> Page<Item> {
        let limit = request.size + 1
        func rows(_ condition: String, _ order: String, _ extra: StatementArguments) throws -> [Item] {
            // A handful of distinct texts (table × filter × direction): cached per connection.
            try SQLiteStore.decodeAll(
                db.cachedStatement(sql: "SELECT * FROM \(table) WHERE \(filter)\(condition) ORDER BY id \(order) LIMIT ?"),
                arguments: arguments + extra + [limit], decode)
        }
        func exists(_ condition: String, _ id: ResourceID) throws -> Bool {
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(filter) AND id \(condition) ?)"),
                arguments: arguments + [id.rawValue]) ?? false
        }
        switch request.cursor {
        case .first where newestFirst:
            let found = try rows("", "DESC", [])
            return Page(
                items: found.prefix(request.size).reversed(), hasNext: false, hasPrevious: found.count > request.size)
        case .first:
            let found = try rows("", "ASC", [])
            return Page(items: Array(found.prefix(request.size)), hasNext: found.count > request.size, hasPrevious: false)
        case .after(let id):
            let found = try rows(" AND id > ?", "ASC", [id.rawValue])
            return Page(
                items: Array(found.prefix(request.size)), hasNext: found.count > request.size,
                hasPrevious: try exists("<=", id))
        case .before(let id):
            let found = try rows(" AND id < ?", "DESC", [id.rawValue])
            return Page(
                items: found.prefix(request.size).reversed(), hasNext: try exists(">=", id),
                hasPrevious: found.count > request.size)
        }
    }
}

import ParleyDomain
import PostgresNIO

/// Cursor pagination over any table keyed by a creation-ordered `id`, as `SQLitePaging` does it:
/// one indexed range scan fetches `size + 1` rows in the direction of travel (the extra row says
/// whether more exist that way); one indexed EXISTS probe looks the other way. Run it inside
/// `PostgresStore.snapshot` so both statements see the same data.
enum PostgresPaging {
    /// `filter` is a condition over `table` whose values are already bound; `newestFirst`: with
    /// no cursor, answer the newest page instead of the oldest (messages).
    static func page<Item>(
        _ connection: PostgresConnection, table: String, filter: SQL, request: PageRequest, newestFirst: Bool = false,
        decode: (Columns) throws -> Item
    ) async throws -> Page<Item> {
        func rows(_ cursor: (op: String, id: ResourceID)?, _ order: String) async throws -> [Columns] {
            // The filter's values are bound first, so its placeholders keep their numbers.
            var statement = filter
            var text = "SELECT * FROM \(table) WHERE (\(statement.text))"
            if let cursor { text += " AND id \(cursor.op) \(try statement.bind(cursor.id.rawValue))" }
            text += " ORDER BY id \(order) LIMIT \(try statement.bind(request.size + 1))"
            return try await connection.rows(PostgresQuery(unsafeSQL: text, binds: statement.binds))
        }
        func exists(_ op: String, _ id: ResourceID) async throws -> Bool {
            var statement = filter
            let text = "SELECT 1 FROM \(table) WHERE (\(statement.text)) AND id \(op) \(try statement.bind(id.rawValue)) LIMIT 1"
            return try await connection.exists(PostgresQuery(unsafeSQL: text, binds: statement.binds))
        }
        switch request.cursor {
        case .first where newestFirst:
            let found = try await rows(nil, "DESC")
            return Page(items: try found.prefix(request.size).reversed().map(decode), hasNext: false, hasPrevious: found.count > request.size)
        case .first:
            let found = try await rows(nil, "ASC")
            return Page(items: try found.prefix(request.size).map(decode), hasNext: found.count > request.size, hasPrevious: false)
        case .after(let id):
            let found = try await rows((">", id), "ASC")
            return Page(
                items: try found.prefix(request.size).map(decode), hasNext: found.count > request.size,
                hasPrevious: try await exists("<=", id))
        case .before(let id):
            let found = try await rows(("<", id), "DESC")
            return Page(
                items: try found.prefix(request.size).reversed().map(decode), hasNext: try await exists(">=", id),
                hasPrevious: found.count > request.size)
        }
    }
}

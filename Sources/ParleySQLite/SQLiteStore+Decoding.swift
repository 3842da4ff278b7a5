import GRDB

/// Rows decoded in place, as SQLite steps through them.
///
/// Why not `Row.fetchOne`/`fetchAll(...).map(decode)`: those copy each row first, and a copied
/// row finds a column by name by lowercasing every column name until one matches, for every
/// `row["name"]`: with ten-odd columns that was most of the cost of reading a conversation.
/// A cursor's row looks names up in a table built once per statement execution.
extension SQLiteStore {
    static func decodeAll<T>(
        _ statement: Statement, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T
    ) throws -> [T] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var items: [T] = []
        while let row = try rows.next() { items.append(try decode(row)) }
        return items
    }

    static func decodeAll<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T
    ) throws -> [T] {
        try decodeAll(db.makeStatement(sql: sql), arguments: arguments, decode)
    }

    /// The first row's value; the statement is reset when its cursor goes, at return.
    static func decodeOne<T>(
        _ statement: Statement, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T
    ) throws -> T? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try rows.next().map(decode)
    }

    static func decodeOne<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T
    ) throws -> T? {
        try decodeOne(db.makeStatement(sql: sql), arguments: arguments, decode)
    }
}

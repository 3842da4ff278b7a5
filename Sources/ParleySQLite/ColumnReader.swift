import GRDB
import GRDBSQLite
import Synchronization

/// The current row of a statement that `DirectStatement` is stepping, read straight from SQLite.
///
/// Column positions come from a table made once per SQL text and shared by every connection
/// (the same text has the same columns: the schema only changes in migrations, before any
/// query), instead of GRDB's `Row`, which rebuilt it (every name lowercased and hashed) on each
/// fetch.
struct ColumnReader: ColumnValues {
    private let handle: SQLiteStatement
    private let positions: [String: Int32]

    init(statement: Statement, sql: String) {
        handle = statement.sqliteStatement
        positions = Self.positions(of: statement, sql: sql)
    }

    func text(_ name: String) throws -> String {
        guard let value = try optionalText(name) else { throw missing(name) }
        return value
    }

    func optionalText(_ name: String) throws -> String? {
        let column = try position(name)
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    func integer(_ name: String) throws -> Int64 {
        guard let value = try optionalInteger(name) else { throw missing(name) }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int64? {
        let column = try position(name)
        return sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func bool(_ name: String) throws -> Bool {
        try integer(name) != 0
    }

    private func position(_ name: String) throws -> Int32 {
        guard let position = positions[name] else { throw DatabaseError(resultCode: .SQLITE_RANGE, message: "no column \(name)") }
        return position
    }

    private static let tables = Mutex<[String: [String: Int32]]>([:])

    private static func positions(of statement: Statement, sql: String) -> [String: Int32] {
        if let known = tables.withLock({ $0[sql] }) { return known }
        var positions: [String: Int32] = [:]
        for column in 0..<sqlite3_column_count(statement.sqliteStatement) {
            // The leftmost of two equal names wins, as in GRDB's `Row`.
            let name = String(cString: sqlite3_column_name(statement.sqliteStatement, column))
            if positions[name] == nil { positions[name] = column }
        }
        tables.withLock { $0[sql] = positions }
        return positions
    }
}

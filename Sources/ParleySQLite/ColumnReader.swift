#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB
import GRDBSQLite
import Synchronization

/// The current row of a statement that `DirectStatement` is stepping, read straight from SQLite.
///
/// Column positions come from a table made once per SQL text and shared by every connection,
/// checked against the statement's column names on each use, instead of GRDB's `Row`, which
/// rebuilt it (every name lowercased and hashed into a new dictionary) on each fetch.
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

    /// Each SQL text's columns: the names in order, and the position of each name.
    private struct Table {
        let names: [String]
        let positions: [String: Int32]

        init(_ handle: SQLiteStatement) {
            names = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
            var positions: [String: Int32] = [:]
            // The leftmost of two equal names wins, as in GRDB's `Row`.
            for (position, name) in zip(Int32(0)..., names) where positions[name] == nil { positions[name] = position }
            self.positions = positions
        }

        /// Whether the statement still has these columns. The same text can name other columns
        /// after a migration changed a table (`SELECT *`); comparing the names in C is far cheaper
        /// than building them as Swift strings.
        func matches(_ handle: SQLiteStatement) -> Bool {
            guard Int(sqlite3_column_count(handle)) == names.count else { return false }
            for (position, name) in zip(Int32(0)..., names) {
                guard let column = sqlite3_column_name(handle, position), name.withCString({ strcmp($0, column) }) == 0 else { return false }
            }
            return true
        }
    }

    private static let tables = Mutex<[String: Table]>([:])

    private static func positions(of statement: Statement, sql: String) -> [String: Int32] {
        let handle = statement.sqliteStatement
        if let known = tables.withLock({ $0[sql] }), known.matches(handle) { return known.positions }
        let table = Table(handle)
        tables.withLock { $0[sql] = table }
        return table.positions
    }
}

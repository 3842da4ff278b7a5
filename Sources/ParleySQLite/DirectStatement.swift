import GRDB
import GRDBSQLite

/// Runs a prepared GRDB statement straight through SQLite's C interface: parameters bound by
/// position, rows read through `ColumnReader`.
///
/// Why: on the statements every PostMessage runs (its two lookups, and the writer's savepoints,
/// updates and inserts), GRDB's general machinery cost more than SQLite's own work. Each
/// execution boxed every argument into a `DatabaseValue`, each fetch built a `Row` whose column
/// table lowercased and hashed every column name again, and each step went through observation
/// hooks this store never uses (BENCHMARKS.md, "Round 6"). Statements are still prepared and
/// cached by GRDB (`Database.cachedStatement`), and every other query keeps GRDB's API.
///
/// Only for statements that neither begin nor end a transaction: GRDB learns of those through the
/// execution hooks skipped here. Savepoints inside a transaction are fine. A statement is always
/// reset before it returns or throws, so no read stays open and holds an old snapshot.
struct DirectStatement {
    /// A value for one `?` of the statement.
    enum Parameter: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
        case text(String)
        case integer(Int64)
        case null

        init(stringLiteral value: String) { self = .text(value) }
        init(integerLiteral value: Int64) { self = .integer(value) }
        init(nilLiteral: ()) { self = .null }
        init(_ value: String?) { self = value.map(Parameter.text) ?? .null }
        init(_ value: Int64?) { self = value.map(Parameter.integer) ?? .null }
        init(_ value: Int) { self = .integer(Int64(value)) }
    }

    private let statement: Statement
    /// As written by the caller: GRDB's `Statement.sql` trims the text again on every call.
    private let sql: String

    /// The statement for `sql`, prepared once per connection and kept in GRDB's cache.
    init(_ db: Database, sql: String) throws {
        self.statement = try db.cachedStatement(sql: sql)
        self.sql = sql
    }

    /// Runs a statement that returns no rows (INSERT, UPDATE, SAVEPOINT, …).
    func run(_ parameters: [Parameter] = []) throws {
        try bind(parameters)
        defer { sqlite3_reset(statement.sqliteStatement) }
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code) }
    }

    /// Every row of a query, each read by `decode`.
    func rows<T>(_ parameters: [Parameter], _ decode: (ColumnReader) throws -> T) throws -> [T] {
        try bind(parameters)
        defer { sqlite3_reset(statement.sqliteStatement) }
        // Made after the first step: a statement SQLite prepares again (the schema changed since
        // GRDB cached it) reports its new columns only from then on.
        var reader: ColumnReader?
        var items: [T] = []
        while true {
            switch sqlite3_step(statement.sqliteStatement) {
            case SQLITE_ROW:
                let current = reader ?? ColumnReader(statement: statement, sql: sql)
                reader = current
                items.append(try decode(current))
            case SQLITE_DONE: return items
            case let code: throw failure(code)
            }
        }
    }

    /// The first row of a query, if there is one.
    func firstRow<T>(_ parameters: [Parameter], _ decode: (ColumnReader) throws -> T) throws -> T? {
        try bind(parameters)
        defer { sqlite3_reset(statement.sqliteStatement) }
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW: return try decode(ColumnReader(statement: statement, sql: sql))
        case SQLITE_DONE: return nil
        case let code: throw failure(code)
        }
    }

    private func bind(_ parameters: [Parameter]) throws {
        let handle = statement.sqliteStatement
        // Every use here resets on the way out, but the statement is GRDB's cached one and GRDB
        // may have left it mid-step; its return value only repeats an earlier failure.
        sqlite3_reset(handle)
        guard parameters.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "\(parameters.count) parameters for \(sqlite3_bind_parameter_count(handle))",
                sql: sql)
        }
        for (index, parameter) in zip(Int32(1)..., parameters) {
            let code: Int32
            switch parameter {
            case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, Self.transient)
            case .integer(let value): code = sqlite3_bind_int64(handle, index, value)
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    /// The error as GRDB would report it: extended result codes are on for GRDB's connections,
    /// so `extendedResultCode` tells a unique-constraint failure apart (see `conflictOnDuplicate`).
    private func failure(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(statement.sqliteStatement).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    /// SQLite copies bound text before `sqlite3_bind_text` returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

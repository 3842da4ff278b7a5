import Logging
import PostgresNIO

/// The few ways the store runs a statement: all rows, the first row, or none; or a prepared one's rows.
extension PostgresConnection {
    static let statementLogger = Logger(label: "parley.postgres.sql")

    func rows(_ query: PostgresQuery) async throws -> [Columns] {
        try await self.query(query, logger: Self.statementLogger).collect().map(Columns.init)
    }

    func row(_ query: PostgresQuery) async throws -> Columns? {
        try await rows(query).first
    }

    /// Runs a statement for its effect; with `RETURNING`, answers how many rows it touched.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query, logger: Self.statementLogger).collect().count
    }

    /// All rows of a prepared statement (see `PreparedSQL`).
    func rows<Statement>(_ statement: Prepared<Statement>) async throws -> [Columns] {
        var rows: [Columns] = []
        for try await row in try await execute(statement, logger: Self.statementLogger) { rows.append(row) }
        return rows
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        try await rows(query).isEmpty == false
    }
}

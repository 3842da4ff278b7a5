import PostgresNIO

/// A `PreparedSQL` with its values: postgres-nio prepares it on a connection the first time it
/// runs there, under the statement type's name, and afterwards sends only the values.
struct Prepared<Statement: PreparedSQL>: PostgresPreparedStatement {
    typealias Row = Columns

    static var name: String { "parley_\(Statement.self)" }
    static var sql: String { Statement.sql }

    var bindings = PostgresBindings()

    init() {}

    /// Binds the next `$n`.
    mutating func bind(_ value: some PostgresThrowingDynamicTypeEncodable) throws {
        try bindings.append(value)
    }

    /// Binds the next `$n`, NULL when the value is nil.
    mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) throws {
        if let value { try bindings.append(value) } else { bindings.appendNull() }
    }

    func makeBindings() -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) -> Columns { Columns(row) }
}

import PostgresNIO

/// A fixed statement of the write path that each connection parses and plans once, then only
/// binds and runs (a named prepared statement, `Prepared`). For the statements every post runs:
/// parsing and planning them cost PostgreSQL more CPU than running them (BENCHMARKS.md, "Round 17").
///
/// Its text binds values as `$1`, `$2`, … in the order `Prepared`'s bindings hold them, and
/// names the columns it returns rather than `*`: PostgreSQL refuses to run a prepared statement
/// whose result columns have changed, which a migration adding a column would otherwise do to
/// nodes still running.
protocol PreparedSQL {
    static var sql: String { get }
}

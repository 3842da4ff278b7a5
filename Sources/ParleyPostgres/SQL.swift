import PostgresNIO

/// A statement assembled piece by piece, with `$n` placeholders numbered as values are bound.
/// For the statements whose shape varies (list filters, paging); fixed statements use
/// `PostgresQuery`'s interpolation directly. Values are always bound, never spliced into the text.
struct SQL: Sendable {
    private(set) var text: String
    private(set) var binds = PostgresBindings()

    init(_ text: String = "") {
        self.text = text
    }

    mutating func append(_ fragment: String) {
        text += fragment
    }

    /// Binds a value and returns its placeholder.
    mutating func bind(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
        try binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

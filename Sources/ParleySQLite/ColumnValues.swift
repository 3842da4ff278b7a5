import GRDB

/// The columns of one stored row, by name: what the store's decoders read. GRDB's `Row` is one
/// (every query but the hottest), `ColumnReader` the other (`DirectStatement`'s queries), so each
/// decoder is written once for both.
protocol ColumnValues {
    func text(_ name: String) throws -> String
    func optionalText(_ name: String) throws -> String?
    func integer(_ name: String) throws -> Int64
    func optionalInteger(_ name: String) throws -> Int64?
    func bool(_ name: String) throws -> Bool
}

extension ColumnValues {
    /// A non-null column that holds NULL: the file was changed outside the store.
    func missing(_ name: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_MISMATCH, message: "column \(name) is NULL")
    }
}

extension Row: ColumnValues {
    func text(_ name: String) throws -> String {
        guard let value: String = self[name] else { throw missing(name) }
        return value
    }

    func optionalText(_ name: String) throws -> String? {
        self[name]
    }

    func integer(_ name: String) throws -> Int64 {
        guard let value: Int64 = self[name] else { throw missing(name) }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int64? {
        self[name]
    }

    func bool(_ name: String) throws -> Bool {
        guard let value: Bool = self[name] else { throw missing(name) }
        return value
    }
}

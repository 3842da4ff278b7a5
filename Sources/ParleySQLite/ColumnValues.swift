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

/// Through GRDB's throwing `decode`: its subscripts stop the process on a value of the wrong
/// type, and a stored row is outside input too (a file changed by hand, a disk's error).
extension Row: ColumnValues {
    func text(_ name: String) throws -> String {
        guard let value = try decode(String?.self, forColumn: name) else { throw missing(name) }
        return value
    }

    func optionalText(_ name: String) throws -> String? {
        try decode(String?.self, forColumn: name)
    }

    func integer(_ name: String) throws -> Int64 {
        guard let value = try decode(Int64?.self, forColumn: name) else { throw missing(name) }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int64? {
        try decode(Int64?.self, forColumn: name)
    }

    func bool(_ name: String) throws -> Bool {
        guard let value = try decode(Bool?.self, forColumn: name) else { throw missing(name) }
        return value
    }
}

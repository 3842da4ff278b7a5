import ParleyDomain
import ParleyWire
import PostgresNIO

/// One result row, read by column name, with the conversions every table needs (ids, times, JSON).
struct Columns {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func callAsFunction<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        // postgres-nio stops the process for a column the row does not have.
        guard row.contains(name) else { throw CorruptRow("no column \(name) in the row") }
        return try row[name].decode(T.self)
    }

    func id(_ name: String) throws -> ResourceID {
        try Self.resourceID(try self(name, as: String.self))
    }

    func eventType(_ name: String) throws -> EventType {
        let text = try self(name, as: String.self)
        guard let type = EventType(rawValue: text) else { throw CorruptRow("corrupt event type \(text) in \(name)") }
        return type
    }

    func optionalID(_ name: String) throws -> ResourceID? {
        try (try self(name, as: String?.self)).map(Self.resourceID)
    }

    func timestamp(_ name: String) throws -> Timestamp {
        Timestamp(millisecondsSince1970: try self(name, as: Int64.self))
    }

    func optionalTimestamp(_ name: String) throws -> Timestamp? {
        try self(name, as: Int64?.self).map(Timestamp.init(millisecondsSince1970:))
    }

    func json<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONColumn.decode(type, try self(name, as: String.self))
    }

    func optionalJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        try (try self(name, as: String?.self)).map { try JSONColumn.decode(type, $0) }
    }

    static func resourceID(_ text: String) throws -> ResourceID {
        guard let id = ResourceID(text) else { throw CorruptRow("corrupt id \(text)") }
        return id
    }
}

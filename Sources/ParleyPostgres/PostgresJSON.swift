import Foundation
import ParleyDomain

/// JSON columns (settings, metadata, profile), stored as text exactly as SQLiteStore stores them:
/// sorted keys keep stored bytes stable, and a database moved between engines reads the same.
enum PostgresJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Free-form JSON (content, payloads, metadata) skips `Codable`: same bytes, a fraction of the
    /// work (see `JSONWriter`).
    static func encode(_ value: JSONValue) throws -> String {
        try JSONWriter.string(value)
    }

    /// Free-form JSON is read by `JSONParser` (Foundation only where it declines).
    static func decode(_ type: JSONValue.Type, _ text: String) throws -> JSONValue {
        try JSONParser.decode(text)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

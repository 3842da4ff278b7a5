import Foundation
import ParleyDomain

/// How both stores keep JSON in text columns (settings, metadata, content, payloads): sorted keys,
/// unescaped slashes, so stored bytes are stable and a database moved between engines reads the
/// same.
///
/// Types that convert to a `JSONValue` (see `JSONValueConvertible`) are written by `JSONWriter` and
/// read by `JSONParser`, the same bytes for a fraction of Foundation's work; the rest, and whatever
/// the parser declines, go through `JSONEncoder`/`JSONDecoder`. Decided at run time, because the
/// stores' callers are generic.
public enum JSONColumn {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        if let convertible = value as? any JSONValueConvertible { return try JSONWriter.string(convertible.json) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        if let readable = type as? any JSONValueConvertible.Type, let json = JSONParser.parse(text),
            let value = readable.init(json: json) as? T
        {
            return value
        }
        return try BoundedJSONDecoder.decode(type, from: Data(text.utf8))
    }
}

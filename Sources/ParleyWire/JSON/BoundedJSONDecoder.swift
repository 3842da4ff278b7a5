import Foundation

/// Foundation's `JSONDecoder` behind the one rule every caller needs: documents that nest arrays
/// and objects deeper than `maximumDepth` are refused with a `DecodingError` before Foundation
/// reads a byte. Every JSON Parley reads from outside (request bodies, provider answers) or from
/// its own rows goes through here or through `JSONParser`, which keeps the same limit.
///
/// Why: Foundation's scanner traps (it does not throw) on a document whose last byte opens its
/// 513th level, e.g. 513 `[` and nothing else; and its time for a `JSONValue` grows with the
/// square of the depth. No body of the API nests more than a dozen levels.
public enum BoundedJSONDecoder {
    public static let maximumDepth = 64

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if data.withUnsafeBytes({ JSONParser.nestsDeeper(than: maximumDepth, $0) }) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The JSON nests arrays and objects more than \(maximumDepth) levels deep"))
        }
        return try JSONDecoder().decode(type, from: data)
    }
}

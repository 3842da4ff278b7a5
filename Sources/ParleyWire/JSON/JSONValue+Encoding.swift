import Foundation
import ParleyDomain

extension JSONValue {
    /// An `Encodable` wire type as a `JSONValue`, to sit among other fields of a response built
    /// by hand (the inbox's rows). Off the hot path: it encodes and parses once more.
    public static func encoding(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}

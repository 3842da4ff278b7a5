import Foundation

/// Free-form JSON as clients send it (metadata, settings blobs, channel payloads).
///
/// Numbers keep the integer/floating distinction so `{"count": 3}` does not come back as `3.0`.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
            return
        }
        // Each kind is tried in turn; "not this kind" is expected, any other failure is the
        // value's real problem and is what a client must hear about, not "must be an array"
        // from the last kind tried.
        var stringProblem: (any Error)?
        var numberProblem: (any Error)?
        func attempt<Value: Decodable>(_ type: Value.Type, _ problem: inout (any Error)?) throws -> Value? {
            do {
                return try container.decode(type)
            } catch DecodingError.typeMismatch {
                return nil
            } catch let error as ParleyError {
                throw error  // a nested value's own problem, already named
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.count > decoder.codingPath.count {
                throw DecodingError.dataCorrupted(context)  // likewise, with its own path
            } catch {
                problem = problem ?? error
                return nil
            }
        }
        // The commonest kinds first: strings, then objects. No kind decodes as another.
        if let value = try attempt(String.self, &stringProblem) {
            self = .string(value)
        } else if let value = try attempt([String: JSONValue].self, &stringProblem) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try attempt(Int64.self, &numberProblem) {
            self = .integer(value)
        } else if let value = try attempt(Double.self, &numberProblem) {
            self = .double(value)
        } else if stringProblem == nil, numberProblem == nil {
            self = .array(try container.decode([JSONValue].self))
        } else {
            let field = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            if stringProblem == nil, numberProblem != nil {
                // A number no Double can hold (`1e400`).
                throw ParleyError.badRequest("\(field.isEmpty ? "The request body" : field) is a number out of range")
            }
            // Text Foundation refuses (a lone surrogate, a raw control character): not JSON.
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "The given data was not valid JSON."))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// True for the scalar kinds the API allows as metadata values.
    var isFlatMetadataValue: Bool {
        switch self {
        case .bool, .integer, .double, .string: true
        case .null, .array, .object: false
        }
    }
}

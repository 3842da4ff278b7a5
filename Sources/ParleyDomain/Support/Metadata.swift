import Foundation

/// The flat key/value bag apps, users and conversations carry.
///
/// The API's rule, enforced here once for every resource: values are strings, numbers or booleans,
/// and the JSON form is at most 4096 bytes.
public struct Metadata: Hashable, Sendable, Codable {
    public static let maximumBytes = 4096

    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue] = [:]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        self.values = try [String: JSONValue](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    /// Checks flatness and size; `field` names the field in the error (`metadata`, `app.metadata`, …).
    public static func validated(_ values: [String: JSONValue], field: String = "metadata") throws -> Metadata {
        for (key, value) in values {
            guard value.isFlatMetadataValue else {
                throw ParleyError.badRequest("\(field).\(key) must be a string, number or boolean: \(field) is a flat object")
            }
            try Rules.noNUL(key, field: "\(field) key \(key.debugDescription)")
            if case .string(let text) = value { try Rules.noNUL(text, field: "\(field).\(key)") }
        }
        let metadata = Metadata(values)
        let size = (try? JSONEncoder().encode(metadata).count) ?? Int.max
        if size > maximumBytes {
            throw ParleyError.badRequest("\(field) is limited to \(maximumBytes) bytes in size")
        }
        return metadata
    }
}

import ParleyDomain

extension JSONValue {
    /// A request body read as JSON for a body type that reads it field by field: it must be an object.
    static func requestObject(from decoder: any Decoder) throws -> JSONValue {
        let value = try JSONValue(from: decoder)
        guard case .object = value else { throw ParleyError.badRequest("The request body must be a JSON object") }
        return value
    }
}

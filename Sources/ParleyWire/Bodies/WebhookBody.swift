import ParleyDomain

/// A webhook body into a `WebhookDraft`: each given field of its kind (a URI, known triggers,
/// booleans; `secret` accepted and ignored: Parley makes it), null refused, named by its path.
public struct WebhookBody: Decodable {
    public var draft: WebhookDraft

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue.requestObject(from: decoder)
        try self.init(json: value, path: "")
    }

    public init(json: JSONValue, path: String) throws {
        var reader = try JSONReader(json, path: path)
        let target = try reader.uri("target")
        let triggers = try reader.array("triggers", count: 0...EventType.allCases.count)?.enumerated().map { index, value in
            guard case .string(let name) = value, let trigger = EventType(rawValue: name) else {
                throw ParleyError.badRequest("\(reader.name("triggers"))[\(index)] is not a known trigger")
            }
            return trigger
        }
        // The schema lists `secret` as writable; Parley always generates it, but a wrong type is
        // still a malformed request.
        _ = try reader.string("secret")
        draft = WebhookDraft(
            target: target, triggers: triggers, includeFullUser: try reader.bool("includeFullUser"),
            includeFullSource: try reader.bool("includeFullSource"))
    }
}

import ParleyDomain

/// A message's wire shape as a `JSONValue`: the one definition behind the API's responses, the
/// stored `author` and `source` columns and the `message` of `conversation:message` webhooks.
///
/// Why by hand rather than `Codable`: a post is written and shown several times (stored columns,
/// outbox payload, response), and `JSONWriter` writes a `JSONValue` for a fraction of what
/// Foundation's encoder costs. The keys and the rule "absent when nil" are the ones the
/// synthesized `Encodable` conformances use, so the bytes are the same (a test checks).
extension Message {
    public var json: JSONValue { .object(jsonFields) }

    public var jsonFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "id": .string(id.rawValue), "received": .string(received.iso8601), "author": author.json, "content": content,
            "source": source.json,
        ]
        if let metadata { fields["metadata"] = .object(metadata.values) }
        return fields
    }
}

extension MessageAuthor {
    public var json: JSONValue { .object(jsonFields) }

    public var jsonFields: [String: JSONValue] {
        // Room for every key at once: grown key by key, the dictionary was rehashed twice.
        var fields = [String: JSONValue](minimumCapacity: 5)
        fields["type"] = .string(type.rawValue)
        if let subtypes { fields["subtypes"] = .array(subtypes.map(JSONValue.string)) }
        if let userId { fields["userId"] = .string(userId) }
        if let displayName { fields["displayName"] = .string(displayName) }
        if let avatarUrl { fields["avatarUrl"] = .string(avatarUrl) }
        return fields
    }
}

extension MessageSource {
    public var json: JSONValue {
        var fields = [String: JSONValue](minimumCapacity: 3)
        fields["type"] = .string(type)
        if let integrationId { fields["integrationId"] = .string(integrationId) }
        if let originalMessageId { fields["originalMessageId"] = .string(originalMessageId) }
        return .object(fields)
    }
}

/// Reading the shapes above back (the stored columns): nil for anything the synthesized
/// `Decodable` conformances would not read the same way, so the caller can ask them instead.
extension MessageAuthor {
    public init?(json: JSONValue) {
        guard case .object(let fields) = json, case .string(let typeText)? = fields["type"], let type = Kind(rawValue: typeText) else {
            return nil
        }
        do {
            self.init(
                type: type, subtypes: try OptionalField.strings(fields["subtypes"]), userId: try OptionalField.string(fields["userId"]),
                displayName: try OptionalField.string(fields["displayName"]), avatarUrl: try OptionalField.string(fields["avatarUrl"]))
        } catch {
            return nil
        }
    }
}

extension MessageSource {
    public init?(json: JSONValue) {
        guard case .object(let fields) = json, case .string(let type)? = fields["type"] else { return nil }
        do {
            self.init(
                type: type, integrationId: try OptionalField.string(fields["integrationId"]),
                originalMessageId: try OptionalField.string(fields["originalMessageId"]))
        } catch {
            return nil
        }
    }
}

/// Optional fields as `decodeIfPresent` reads them: absent or null is nil; another kind fails.
private enum OptionalField {
    struct WrongKind: Error {}

    static func string(_ value: JSONValue?) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw WrongKind()
        }
    }

    static func strings(_ value: JSONValue?) throws -> [String]? {
        switch value {
        case nil, .null?: return nil
        case .array(let values)?:
            return try values.map { value in
                guard case .string(let text) = value else { throw WrongKind() }
                return text
            }
        default: throw WrongKind()
        }
    }
}

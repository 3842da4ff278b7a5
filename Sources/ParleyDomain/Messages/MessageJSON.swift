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
        var fields: [String: JSONValue] = ["type": .string(type.rawValue)]
        if let subtypes { fields["subtypes"] = .array(subtypes.map(JSONValue.string)) }
        if let userId { fields["userId"] = .string(userId) }
        if let displayName { fields["displayName"] = .string(displayName) }
        if let avatarUrl { fields["avatarUrl"] = .string(avatarUrl) }
        return fields
    }
}

extension MessageSource {
    public var json: JSONValue {
        var fields: [String: JSONValue] = ["type": .string(type)]
        if let integrationId { fields["integrationId"] = .string(integrationId) }
        if let originalMessageId { fields["originalMessageId"] = .string(originalMessageId) }
        return .object(fields)
    }
}

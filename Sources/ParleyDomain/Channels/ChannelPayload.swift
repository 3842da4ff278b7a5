/// What a channel job carries of validated message content, as strings its channel maps to the
/// provider's fields: `contentType`, `text` (for carousels and locations the fallback text
/// `ContentRules` wrote), `htmlText`, `mediaUrl`, `mediaType` and `altText`. Each channel decides
/// what it can show of it.
enum ChannelPayload {
    static func of(_ content: JSONValue) -> [String: String] {
        guard case .object(let fields) = content else { return [:] }
        var payload: [String: String] = [:]
        for key in ["text", "htmlText", "mediaUrl", "mediaType", "altText"] {
            if case .string(let value)? = fields[key] { payload[key] = value }
        }
        if case .string(let type)? = fields["type"] { payload["contentType"] = type }
        return payload
    }
}

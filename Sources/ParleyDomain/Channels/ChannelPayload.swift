/// What a channel job carries of validated message content, as strings its channel maps to the
/// provider's fields: `contentType`, `text` (for carousels and locations the fallback text
/// `ContentRules` wrote), `htmlText`, `mediaUrl`, `mediaType`, `mediaSize` (of a Parley attachment) and
/// `altText`. Each channel decides
/// what it can show of it.
public enum ChannelPayload {
    public static func of(_ content: JSONValue) -> [String: String] {
        guard case .object(let fields) = content else { return [:] }
        var payload: [String: String] = [:]
        for key in ["text", "htmlText", "mediaUrl", "mediaType", "altText"] {
            if case .string(let value)? = fields[key] { payload[key] = value }
        }
        if case .integer(let size)? = fields["mediaSize"] { payload["mediaSize"] = String(size) }
        if case .string(let type)? = fields["type"] { payload["contentType"] = type }
        // Actions a channel may show: `link.N.text`/`link.N.uri`, `postback.N` (the button's text)
        // for a postback the user can choose through Parley, and `reply.N` (a quick reply's text),
        // N being the action's index in `content.actions`.
        if case .array(let actions)? = fields["actions"] {
            for (index, action) in actions.enumerated() {
                guard case .object(let action) = action, case .string(let type)? = action["type"], case .string(let text)? = action["text"] else { continue }
                switch (type, action["uri"]) {
                case ("link", .string(let uri)?), ("webview", .string(let uri)?):
                    payload["link.\(index).text"] = text
                    payload["link.\(index).uri"] = uri
                case ("postback", _):
                    payload["postback.\(index)"] = text
                case ("reply", _):
                    payload["reply.\(index)"] = text
                default: break
                }
            }
        }
        return payload
    }

    /// The links of a payload, in their actions' order: (action index, text, uri).
    public static func links(_ payload: [String: String]) -> [(index: Int, text: String, uri: String)] {
        indexed(payload, prefix: "link.", suffix: ".text").compactMap { index, text in
            payload["link.\(index).uri"].map { (index, text, $0) }
        }
    }

    /// The quick replies of a payload, in their actions' order: (action index, text).
    public static func replies(_ payload: [String: String]) -> [(index: Int, text: String)] {
        indexed(payload, prefix: "reply.", suffix: "").map { ($0, $1) }
    }

    /// The postbacks of a payload, in their actions' order: (action index, text).
    public static func postbacks(_ payload: [String: String]) -> [(index: Int, text: String)] {
        indexed(payload, prefix: "postback.", suffix: "").map { ($0, $1) }
    }

    private static func indexed(_ payload: [String: String], prefix: String, suffix: String) -> [(Int, String)] {
        payload.compactMap { key, value -> (Int, String)? in
            guard key.hasPrefix(prefix), key.hasSuffix(suffix) else { return nil }
            let middle = key.dropFirst(prefix.count).dropLast(suffix.count)
            return Int(middle).map { ($0, value) }
        }.sorted { $0.0 < $1.0 }
    }
}

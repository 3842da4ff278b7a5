/// The six action types and their fields. Text and image messages take every type; carousel and
/// list items and list messages take the subset buy, link, postback, webview.
enum ActionRules {
    static let all = ["buy", "link", "locationRequest", "postback", "reply", "webview"]
    static let subset = ["buy", "link", "postback", "webview"]

    /// Validates an array of actions and returns them normalised.
    static func validate(_ actions: [JSONValue], allowed: [String], path: String) throws -> [JSONValue] {
        var openOnReceive = 0
        let result = try actions.enumerated().map { index, action in
            let (normalised, opens) = try validate(action, allowed: allowed, path: "\(path)[\(index)]")
            if opens { openOnReceive += 1 }
            return normalised
        }
        if openOnReceive > 1 {
            throw ParleyError.badRequest("\(path): at most one webview action may set openOnReceive")
        }
        return result
    }

    private static func validate(_ action: JSONValue, allowed: [String], path: String) throws -> (JSONValue, Bool) {
        var reader = try JSONReader(action, path: path)
        guard let type = try reader.string("type", required: true), allowed.contains(type) else {
            throw ParleyError.badRequest("\(path).type must be one of \(allowed.joined(separator: ", "))")
        }
        // The spec sets no length on action text (it only recommends a non-empty one).
        _ = try reader.string("text", required: true)
        _ = try reader.metadata("metadata")
        var changes: [String: JSONValue?] = [:]
        var opens = false
        switch type {
        case "buy":
            let amount = try reader.requireInteger("amount")
            if amount < 0 { throw ParleyError.badRequest("\(path).amount must be 0 or more (in cents)") }
            if let currency = try reader.string("currency") {
                guard currency.count == 3, currency.allSatisfy(\.isLetter) else {
                    throw ParleyError.badRequest("\(path).currency must be an ISO 4217 code such as usd")
                }
                changes["currency"] = .string(currency.lowercased())
            }
        case "link":
            _ = try reader.uri("uri", required: true)
            _ = try reader.bool("default")
            changes["extraChannelOptions"] = try extraChannelOptions(&reader)
        case "postback":
            _ = try reader.string("payload", required: true)
        case "reply":
            _ = try reader.string("payload", required: true)
            _ = try reader.uri("iconUrl")
        case "webview":
            _ = try reader.uri("uri", required: true)
            _ = try reader.uri("fallback", required: true)
            _ = try reader.bool("default")
            _ = try reader.oneOf("size", ["compact", "tall", "full"])
            opens = try reader.bool("openOnReceive") == true
            changes["extraChannelOptions"] = try extraChannelOptions(&reader)
        default:  // locationRequest: text and metadata only
            break
        }
        return (reader.output(changes), opens)
    }

    /// The options Parley knows, the rest dropped like any unknown field; nil when not given.
    private static func extraChannelOptions(_ reader: inout JSONReader) throws -> JSONValue? {
        guard var options = try reader.object("extraChannelOptions") else { return nil }
        var messengerOutput: JSONValue?
        if var messenger = try options.object("messenger") {
            _ = try messenger.bool("messenger_extensions")
            _ = try messenger.oneOf("webview_share_button", ["hide"])
            messengerOutput = messenger.output()
        }
        return options.output(["messenger": messengerOutput])
    }
}

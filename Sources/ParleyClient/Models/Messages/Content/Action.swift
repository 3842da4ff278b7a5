/// A button of a message: one struct for the six kinds (``ActionType``), each kind's fields
/// optional, so an action of a kind added later still decodes. The static functions build each
/// kind with the fields it requires.
public struct Action: Codable, Sendable, Hashable {
    public var type: ActionType
    /// The button's label (may be empty).
    public var text: String?
    /// `link`, `webview`: the URL opened.
    public var uri: String?
    /// `postback`, `reply`: what is sent back.
    public var payload: String?
    /// `buy`: cents.
    public var amount: Int?
    /// `buy`: ISO 4217, lowercase.
    public var currency: String?
    /// `link`, `webview`: Messenger's default action.
    public var `default`: Bool?
    public var metadata: JSONObject?
    /// `link`, `webview`: e.g. `{"messenger": {"messenger_extensions": true}}`.
    public var extraChannelOptions: JSONObject?
    /// `reply`: an icon shown on the button.
    public var iconUrl: String?
    /// `webview`: `compact`, `tall` or `full`.
    public var size: String?
    /// `webview`: the URL for channels without webviews.
    public var fallback: String?
    /// `webview`: open as soon as the message arrives (web messenger; at most one per message).
    public var openOnReceive: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(type: ActionType, text: String? = nil) {
        self.type = type
        self.text = text
    }

    /// A link button.
    public static func link(_ text: String, uri: String) -> Action {
        var action = Action(type: .link, text: text)
        action.uri = uri
        return action
    }

    /// A postback button: `payload` comes back in a `conversation:postback` event.
    public static func postback(_ text: String, payload: String) -> Action {
        var action = Action(type: .postback, text: text)
        action.payload = payload
        return action
    }

    /// A quick reply.
    public static func reply(_ text: String, payload: String, iconUrl: String? = nil) -> Action {
        var action = Action(type: .reply, text: text)
        action.payload = payload
        action.iconUrl = iconUrl
        return action
    }

    /// A payment button of `amount` cents.
    public static func buy(_ text: String, amount: Int, currency: String? = nil) -> Action {
        var action = Action(type: .buy, text: text)
        action.amount = amount
        action.currency = currency
        return action
    }

    /// A button asking for the user's location.
    public static func locationRequest(_ text: String) -> Action {
        Action(type: .locationRequest, text: text)
    }

    /// A webview button.
    public static func webview(_ text: String, uri: String, fallback: String, size: String? = nil) -> Action {
        var action = Action(type: .webview, text: text)
        action.uri = uri
        action.fallback = fallback
        action.size = size
        return action
    }
}

/// How a channel link is confirmed, and the message sent to ask (a `text` or `image` from a
/// `business` author, with `link` actions only; it is not added to the conversation).
public struct ClientConfirmation: Codable, Sendable, Hashable {
    public var type: ConfirmationType
    public var message: MessagePost?

    /// Makes one from its fields; those left nil are not sent.
    public init(type: ConfirmationType, message: MessagePost? = nil) {
        self.type = type
        self.message = message
    }
}

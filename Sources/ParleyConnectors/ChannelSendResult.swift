/// A channel's answer to one send.
public struct ChannelSendResult: Hashable, Sendable {
    public var statusCode: Int
    /// The channel's id for the message (Mailgun's `id`, e.g. `<2026…@mg.example.com>`).
    public var externalMessageId: String?
    /// What the channel said of a refusal (Twilio's error code and message), for the job's error.
    public var detail: String?
    /// How long the channel asked to wait before the next send (Telegram's 429 `retry_after`).
    public var retryAfterSeconds: Int?

    public init(statusCode: Int, externalMessageId: String? = nil, detail: String? = nil, retryAfterSeconds: Int? = nil) {
        self.retryAfterSeconds = retryAfterSeconds
        self.statusCode = statusCode
        self.externalMessageId = externalMessageId
        self.detail = detail
    }
}

/// A channel's answer to one send.
public struct ChannelSendResult: Hashable, Sendable {
    public var statusCode: Int
    /// The channel's id for the message (Mailgun's `id`, e.g. `<2026…@mg.example.com>`).
    public var externalMessageId: String?
    /// What the channel said of a refusal (Twilio's error code and message), for the job's error.
    public var detail: String?

    public init(statusCode: Int, externalMessageId: String? = nil, detail: String? = nil) {
        self.statusCode = statusCode
        self.externalMessageId = externalMessageId
        self.detail = detail
    }
}

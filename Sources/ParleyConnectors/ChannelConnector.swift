import ParleyDomain

/// Sends one channel job through a channel's API. Answers the channel's status code and, when it
/// gave one, its id for the message; throws when no answer came (timeout, refused connection).
/// The dispatcher decides what the answer means.
public protocol ChannelConnector: Sendable {
    func send(_ job: ChannelJob, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> ChannelSendResult
}

/// A channel's answer to one send.
public struct ChannelSendResult: Hashable, Sendable {
    public var statusCode: Int
    /// The channel's id for the message (Mailgun's `id`, e.g. `<2026…@mg.example.com>`).
    public var externalMessageId: String?

    public init(statusCode: Int, externalMessageId: String? = nil) {
        self.statusCode = statusCode
        self.externalMessageId = externalMessageId
    }
}

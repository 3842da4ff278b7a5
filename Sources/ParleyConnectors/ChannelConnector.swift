import ParleyDomain

/// Sends one channel job through a channel's API. Answers the channel's status code and, when it
/// gave one, its id for the message; throws when no answer came (timeout, refused connection).
/// The dispatcher decides what the answer means.
public protocol ChannelConnector: Sendable {
    /// Whether the channel can show the job's message at all. By default: when it has text, HTML
    /// or media (a `form` has none); a channel with richer types of its own (WhatsApp's templates)
    /// says more.
    func carries(_ job: ChannelJob, message: Message?) -> Bool
    /// `message`: the business message the job delivers, as stored (its whole content, its
    /// `override`), when the job is one and the message still exists; the job's payload has what
    /// every channel needs.
    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws
        -> ChannelSendResult
}

extension ChannelConnector {
    public func carries(_ job: ChannelJob, message: Message?) -> Bool { job.hasMessage }
}

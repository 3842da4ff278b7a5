import ParleyDomain

/// Sends one channel job through a channel's API. Answers the channel's status code and, when it
/// gave one, its id for the message; throws when no answer came (timeout, refused connection).
/// The dispatcher decides what the answer means.
public protocol ChannelConnector: Sendable {
    func send(_ job: ChannelJob, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> ChannelSendResult
}

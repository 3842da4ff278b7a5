import ParleyDomain

/// Sends one channel job through a channel's API. Answers the channel's HTTP status code, or
/// throws when no answer came (timeout, refused connection); the dispatcher decides what that means.
public protocol ChannelConnector: Sendable {
    func send(_ job: ChannelJob, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> Int
}

import NIOCore
import ParleyDomain

/// Sends a job through the Send API (`POST {base}/me/messages`, the page's access token as
/// Bearer), one request per body `MessengerSendBodies` makes, in order. The last message's
/// `message_id` is the job's (the id delivery receipts name). How a refusal is treated:
/// - outside the 24-hour window (error 10, subcode 2018278 on Messenger, 2534022 on Instagram):
///   final, its text saying that a message tag is needed;
/// - rate limits (codes 4, 17, 32, 613): retried, as a 429;
/// - Meta's temporary failures (codes 1, 2, 1200, or a 5xx): retried;
/// - any other 4xx: final.
struct MessengerConnector: ChannelConnector {
    let platform: MessengerPlatform
    let environment: ChannelEnvironment

    /// Carousels and lists have no text but show as templates; an override may give the whole message.
    func carries(_ job: ChannelJob, message: Message?) -> Bool {
        job.hasMessage || !MessengerSendBodies(platform: platform).bodies(job, message: message).isEmpty
    }

    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws
        -> ChannelSendResult
    {
        guard let token = secrets["pageAccessToken"] else { throw ConnectorError("The \(platform.type) integration has no pageAccessToken") }
        let bodies = MessengerSendBodies(platform: platform).bodies(job, message: message)
        guard !bodies.isEmpty else { throw ConnectorError("Nothing of this message can be shown on \(platform.name)") }
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        var messageId: String?
        for body in bodies {
            let answer = try await graph.post("me/messages", body, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
            guard answer.succeeded, let id = answer.text("message_id") else { return Self.refusal(answer) }
            messageId = id
        }
        return ChannelSendResult(statusCode: 200, externalMessageId: messageId)
    }

    static let windowSubcodes: Set<Int> = [2_018_278, 2_534_022]
    static let rateLimitCodes: Set<Int> = [4, 17, 32, 613]
    static let temporaryCodes: Set<Int> = [1, 2, 1200]

    /// What a refusal means for the job (see the type's comment).
    static func refusal(_ answer: GraphAnswer) -> ChannelSendResult {
        if answer.succeeded { return ChannelSendResult(statusCode: 502, detail: "The Graph API answered without a message_id") }
        if answer.errorCode == 10, let subcode = answer.errorSubcode, windowSubcodes.contains(subcode) {
            return ChannelSendResult(
                statusCode: 400,
                detail: "The 24-hour window to answer this person is closed: Meta takes a message now only with a message tag "
                    + "(override.messenger.payload {messaging_type: \"MESSAGE_TAG\", tag: \"HUMAN_AGENT\"}). \(answer.problem)")
        }
        if let code = answer.errorCode, rateLimitCodes.contains(code) { return ChannelSendResult(statusCode: 429, detail: answer.problem) }
        if let code = answer.errorCode, temporaryCodes.contains(code) { return ChannelSendResult(statusCode: 503, detail: answer.problem) }
        return ChannelSendResult(statusCode: (400..<600).contains(answer.status) ? answer.status : 502, detail: answer.problem)
    }
}

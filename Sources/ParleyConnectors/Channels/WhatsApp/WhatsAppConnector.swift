import Foundation
import NIOCore
import ParleyDomain
import ParleyWire

/// Messages to a WhatsApp user through the Cloud API: `POST {base}/{phoneNumberId}/messages` with
/// the account's token, answered `{messages: [{id: "wamid…"}]}` or a Graph error. What each
/// content becomes is `WhatsAppMessage.body`.
struct WhatsAppConnector: ChannelConnector {
    let environment: ChannelEnvironment

    /// A template (`schema: "whatsapp"`) has no text and is WhatsApp's own message; a location
    /// is shown as one.
    func carries(_ job: ChannelJob, message: Message?) -> Bool {
        job.hasMessage || ["template", "location"].contains(job.payload["contentType"] ?? "")
    }

    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws
        -> ChannelSendResult
    {
        guard let token = secrets["accountManagementAccessToken"], let numberId = integration.textSetting("phoneNumberId") else {
            throw ConnectorError("The whatsapp integration lacks accountManagementAccessToken or phoneNumberId")
        }
        let body = WhatsAppMessage.body(
            job, message: message, fallbackLanguage: integration.textSetting("hsmFallbackLanguage") ?? "en_US")
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        let answer = try await graph.post("\(FormEncoding.pathSegment(numberId))/messages", body, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        if answer.succeeded, case .array(let messages)? = answer.object["messages"], case .object(let first)? = messages.first,
            case .string(let id)? = first["id"]
        {
            return ChannelSendResult(statusCode: answer.status, externalMessageId: id)
        }
        return ChannelSendResult(
            statusCode: WhatsAppErrors.isThrottling(answer.errorCode) ? 429 : (answer.succeeded ? 502 : answer.status),
            detail: WhatsAppErrors.describe(code: answer.errorCode, title: answer.errorMessage) ?? answer.problem)
    }
}

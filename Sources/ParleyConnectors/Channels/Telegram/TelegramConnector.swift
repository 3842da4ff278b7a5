import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// Messages to a Telegram chat through the Bot API: `POST {base}/bot{token}/{method}` with a JSON
/// body, answered `{ok, result}` or `{ok: false, error_code, description, parameters}`.
/// An image goes by `sendPhoto`, a file by `sendDocument` (Telegram fetches the URL; the text is
/// the caption), anything else by `sendMessage` with the text the API wrote (a carousel's, a
/// location's fallback). Links and postbacks become inline buttons, quick replies a one-time
/// keyboard.
struct TelegramConnector: ChannelConnector {
    let environment: ChannelEnvironment

    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> ChannelSendResult {
        guard let token = secrets["token"] else { throw ConnectorError("The telegram integration lacks its bot token") }
        let (method, body) = Self.request(job)
        let bot = TelegramBotAPI(client: environment.client, baseURL: environment.apiBaseURL, token: token)
        let (status, answer) = try await bot.call(method, body, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        if answer.ok, case .object(let message)? = answer.result, case .integer(let id)? = message["message_id"] {
            return ChannelSendResult(statusCode: status, externalMessageId: String(id))
        }
        return ChannelSendResult(
            statusCode: answer.ok ? 502 : status, detail: answer.problem ?? "Telegram answered without a message",
            retryAfterSeconds: answer.retryAfterSeconds)
    }

    /// The Bot API method and its JSON body for a job.
    static func request(_ job: ChannelJob) -> (method: String, body: [String: JSONValue]) {
        let payload = job.payload
        let to = payload["to"] ?? ""
        // Chat ids are integers (up to 52 bits); a channel's `@username` is a string.
        var body: [String: JSONValue] = ["chat_id": Int64(to).map(JSONValue.integer) ?? .string(to)]
        let text = payload["text"] ?? ""
        let method: String
        switch (payload["contentType"], payload["mediaUrl"]) {
        case ("image", let url?):
            method = "sendPhoto"
            body["photo"] = .string(url)
            if !text.isEmpty { body["caption"] = .string(String(text.prefix(1024))) }
        case ("file", let url?):
            method = "sendDocument"
            body["document"] = .string(url)
            if !text.isEmpty { body["caption"] = .string(String(text.prefix(1024))) }
        default:
            method = "sendMessage"
            body["text"] = .string(String(text.prefix(4096)))
        }
        if let markup = replyMarkup(job) { body["reply_markup"] = markup }
        return (method, body)
    }

    /// Links and postbacks as inline buttons, one per row; else quick replies as a keyboard that
    /// hides once used. A postback's button carries `PostbackButton.data`.
    static func replyMarkup(_ job: ChannelJob) -> JSONValue? {
        var buttons: [(index: Int, button: JSONValue)] = ChannelPayload.links(job.payload).map { index, text, uri in
            (index, .object(["text": .string(text), "url": .string(uri)]))
        }
        if job.messageId != nil {
            buttons += ChannelPayload.postbacks(job.payload).map { index, text in
                (index, .object(["text": .string(text), "callback_data": .string(PostbackButton.data(jobId: job.id, action: index))]))
            }
        }
        if !buttons.isEmpty {
            return .object(["inline_keyboard": .array(buttons.sorted { $0.index < $1.index }.map { .array([$0.button]) })])
        }
        let replies = ChannelPayload.replies(job.payload)
        guard !replies.isEmpty else { return nil }
        return .object([
            "keyboard": .array(replies.map { .array([.object(["text": .string($0.text)])]) }),
            "one_time_keyboard": .bool(true), "resize_keyboard": .bool(true),
        ])
    }
}

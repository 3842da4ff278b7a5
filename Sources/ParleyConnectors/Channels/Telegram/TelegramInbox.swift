import Foundation
import ParleyDomain
import ParleyWire

/// Telegram calling the bot's webhook at `…/integrations/{integrationId}/inbound/webhook` with one
/// `Update` per request. The `X-Telegram-Bot-Api-Secret-Token` header must be the bot's webhook
/// secret (`TelegramChannel.webhookSecret`) before anything else is read. Private chats only:
/// - a `message` from a person: its text or caption, its photo (the largest size) or document
///   fetched through `getFile` into an attachment; `/start PAYLOAD` (a `t.me/bot?start=PAYLOAD`
///   link) is a referral;
/// - a `callback_query` from a postback button Parley sent: `conversation:postback`, then
///   `answerCallbackQuery` so the person's app stops waiting.
/// Other updates (edits, group messages, a bot's own) are acknowledged and ignored.
struct TelegramInbox {
    let services: ChannelServices
    let apiBaseURL: String

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        guard let token = secrets["token"] else { throw ParleyError.unauthorized("The integration has no bot token to check Telegram's secret with") }
        guard TelegramChannel.isWebhookSecret(request.headers["x-telegram-bot-api-secret-token"], botToken: token) else {
            throw ParleyError.unauthorized(
                request.headers["x-telegram-bot-api-secret-token"] == nil
                    ? "The request has no X-Telegram-Bot-Api-Secret-Token" : "The X-Telegram-Bot-Api-Secret-Token is not this bot's")
        }
        guard case .object(let update)? = try? JSONParser.decode(Data(request.body)) else {
            throw ParleyError.badRequest("Expected a Telegram Update as JSON")
        }
        if case .object(let query)? = update["callback_query"] {
            return .json(try await callback(query, request: request, integration: integration, token: token))
        }
        guard case .object(let message)? = update["message"] else { return .json(InboundOutcome.ignored.summary) }
        return .json(try await self.message(message, request: request, integration: integration, token: token).summary)
    }

    private func message(_ message: [String: JSONValue], request: InboundRequest, integration: Integration, token: String) async throws -> InboundOutcome {
        guard case .object(let chat)? = message["chat"], chat["type"] == .string("private"), case .integer(let chatId)? = chat["id"],
            case .object(let from)? = message["from"], from["is_bot"] != .bool(true)
        else { return .ignored }
        var text = JSONValue.text(message["text"]) ?? JSONValue.text(message["caption"]) ?? ""
        var signal: ChannelSignal?
        if text == "/start" || text.hasPrefix("/start ") {
            // A deep link's payload is a referral; the command itself is not a message.
            let payload = text.dropFirst("/start".count).trimmingCharacters(in: .whitespaces)
            if !payload.isEmpty { signal = .referral(code: payload, details: nil) }
            text = ""
        }
        var media: [InboundMedia] = []
        if let file = Self.file(of: message) {
            if let stored = try await store(file, request: request, token: token) { media.append(stored) }
        }
        let name = [JSONValue.text(from["first_name"]), JSONValue.text(from["last_name"])].compactMap { $0 }.joined(separator: " ")
        var profile = Profile()
        profile.givenName = JSONValue.text(from["first_name"])
        profile.surname = JSONValue.text(from["last_name"])
        profile.locale = JSONValue.text(from["language_code"])
        let messageId: String? = if case .integer(let id)? = message["message_id"] { "\(chatId):\(id)" } else { nil }
        return try await services.inbound.receive(InboundMessage(
            appId: request.appId, integrationId: integration.id, channel: "telegram", sender: String(chatId), senderName: name.isEmpty ? nil : name,
            senderProfile: profile, text: text, media: media, originalMessageId: messageId, signal: signal))
    }

    /// A photo's largest size, or a document: its `file_id`, type and name.
    static func file(of message: [String: JSONValue]) -> (id: String, type: String?, name: String)? {
        if case .array(let sizes)? = message["photo"], case .object(let largest)? = sizes.last, let id = JSONValue.text(largest["file_id"]) {
            return (id, "image/jpeg", "photo.jpg")
        }
        if case .object(let document)? = message["document"], let id = JSONValue.text(document["file_id"]) {
            return (id, JSONValue.text(document["mime_type"]), JSONValue.text(document["file_name"]) ?? "file")
        }
        return nil
    }

    /// `getFile`, then the file's bytes from `{base}/file/bot{token}/{file_path}`, into an
    /// attachment. One Telegram cannot give is left out (Telegram's URLs carry the bot token, so
    /// none is kept).
    private func store(_ file: (id: String, type: String?, name: String), request: InboundRequest, token: String) async throws -> InboundMedia? {
        guard let (_, answer) = try? await bot(token).call("getFile", ["file_id": .string(file.id)]) else { return nil }
        guard answer.ok, case .object(let result)? = answer.result, let path = JSONValue.text(result["file_path"]) else { return nil }
        do {
            return try await services.storeMedia(appId: request.appId, fileName: file.name, declaredType: file.type, base: request.baseURL) {
                try await services.media.fetch("\(apiBaseURL)/file/bot\(FormEncoding.pathSegment(token))/\(path)", authorization: nil, into: &$0)
            }
        } catch is MediaFetcher.Failure {
            return nil
        }
    }

    /// A postback button's choice, then `answerCallbackQuery` (whatever became of the choice:
    /// the person's app waits for it).
    private func callback(_ query: [String: JSONValue], request: InboundRequest, integration: Integration, token: String) async throws -> JSONValue {
        var outcome = InboundOutcome.ignored
        if let data = JSONValue.text(query["data"]), let (jobId, action) = PostbackButton.choice(data) {
            do {
                outcome = try await services.inbound.postbackChosen(
                    appId: request.appId, integrationId: integration.id, channel: "telegram", jobId: jobId, action: action)
            } catch let error as ParleyError where error.kind == .notFound {
                outcome = .ignored
            }
        }
        if let id = JSONValue.text(query["id"]) {
            _ = try? await bot(token).call("answerCallbackQuery", ["callback_query_id": .string(id)], timeout: .seconds(10))
        }
        return outcome.summary
    }

    private func bot(_ token: String) -> TelegramBotAPI {
        TelegramBotAPI(client: services.media.client, baseURL: apiBaseURL, token: token)
    }
}

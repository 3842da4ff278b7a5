import Foundation
import ParleyDomain
import ParleyWire

/// The WhatsApp Business Account's webhook at `…/integrations/{integrationId}/inbound/webhook`:
/// GET is Meta's subscription handshake; each POST, once its `X-Hub-Signature-256` holds under
/// the integration's `appSecret`, is `{object: "whatsapp_business_account", entry: [{changes:
/// [{field: "messages", value}]}]}` where `value`, for the integration's own number
/// (`metadata.phone_number_id`), carries
/// - `messages` from users: text; image, document, audio, video and sticker (fetched by media id
///   into attachments); interactive replies (a postback button Parley sent, or a reply with its
///   payload); a template's quick-reply `button`; a location; with a `referral` when the user came
///   from an ad;
/// - `statuses` of Parley's sends: `delivered` and `failed` (a refusal, as a free-form message
///   outside the 24-hour window) become delivery events, `read` the user's read.
/// Other numbers' changes and other fields are acknowledged and ignored.
struct WhatsAppInbox {
    let services: ChannelServices
    let apiBaseURL: String

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        let root: [String: JSONValue]
        switch try MetaWebhook.open(request, integration: integration, secrets: secrets) {
        case .handshake(let answer): return answer
        case .notification(let notification): root = notification
        }
        guard case .array(let entries)? = root["entry"] else {
            throw ParleyError.badRequest("Expected a WhatsApp webhook notification: {object, entry: [...]}")
        }
        let numberId = integration.textSetting("phoneNumberId")
        var outcomes: [JSONValue] = []
        for case .object(let entry) in entries {
            guard case .array(let changes)? = entry["changes"] else { continue }
            for case .object(let change) in changes {
                guard change["field"] == .string("messages"), case .object(let value)? = change["value"] else { continue }
                if case .object(let metadata)? = value["metadata"], let numberId, metadata["phone_number_id"] != .string(numberId) { continue }
                outcomes += try await messages(value, request: request, integration: integration, secrets: secrets)
                outcomes += try await statuses(value, request: request, integration: integration)
            }
        }
        return .json(.object(["results": .array(outcomes)]))
    }

    private func messages(_ value: [String: JSONValue], request: InboundRequest, integration: Integration, secrets: [String: String]) async throws
        -> [JSONValue]
    {
        guard case .array(let messages)? = value["messages"] else { return [] }
        var names: [String: String] = [:]
        if case .array(let contacts)? = value["contacts"] {
            for case .object(let contact) in contacts {
                if let id = JSONValue.text(contact["wa_id"]), case .object(let profile)? = contact["profile"], let name = JSONValue.text(profile["name"]) { names[id] = name }
            }
        }
        var outcomes: [JSONValue] = []
        for case .object(let message) in messages {
            guard let from = JSONValue.text(message["from"]), let sender = try? PhoneNumber.normalized("+" + from, field: "from") else { continue }
            var inbound = InboundMessage(
                appId: request.appId, integrationId: integration.id, channel: "whatsapp", sender: sender, senderName: names[from], text: "",
                originalMessageId: JSONValue.text(message["id"]))
            if case .object(let referral)? = message["referral"] {
                inbound.signal = .referral(code: JSONValue.text(referral["source_id"]) ?? JSONValue.text(referral["source_url"]) ?? "ad", details: .object(referral))
            }
            switch JSONValue.text(message["type"]) {
            case "text":
                if case .object(let text)? = message["text"] { inbound.text = JSONValue.text(text["body"]) ?? "" }
            case "interactive":
                guard case .object(let interactive)? = message["interactive"],
                    case .object(let reply)? = interactive["button_reply"] ?? interactive["list_reply"], let id = JSONValue.text(reply["id"])
                else { continue }
                if let (jobId, action) = PostbackButton.choice(id) {
                    outcomes.append(try await postback(jobId: jobId, action: action, request: request, integration: integration))
                    continue
                }
                inbound.text = JSONValue.text(reply["title"]) ?? id
                inbound.replyPayload = id
            case "button":
                guard case .object(let button)? = message["button"] else { continue }
                inbound.text = JSONValue.text(button["text"]) ?? ""
                inbound.replyPayload = JSONValue.text(button["payload"])
            case "location":
                guard case .object(let place)? = message["location"], let latitude = JSONValue.number(place["latitude"]),
                    let longitude = JSONValue.number(place["longitude"])
                else { continue }
                inbound.location = InboundLocation(
                    latitude: latitude, longitude: longitude, name: JSONValue.text(place["name"]), address: JSONValue.text(place["address"]))
            case .some(let kind) where ["image", "document", "audio", "video", "sticker"].contains(kind):
                guard case .object(let media)? = message[kind], let id = JSONValue.text(media["id"]) else { continue }
                inbound.text = JSONValue.text(media["caption"]) ?? ""
                if let stored = try await store(mediaId: id, type: JSONValue.text(media["mime_type"]), name: JSONValue.text(media["filename"]) ?? kind, request: request, secrets: secrets) {
                    inbound.media = [stored]
                }
            default:
                continue  // reactions, unsupported types, system notices
            }
            outcomes.append(try await services.inbound.receive(inbound).summary)
        }
        return outcomes
    }

    private func postback(jobId: ResourceID, action: Int, request: InboundRequest, integration: Integration) async throws -> JSONValue {
        do {
            return try await services.inbound.postbackChosen(
                appId: request.appId, integrationId: integration.id, channel: "whatsapp", jobId: jobId, action: action
            ).summary
        } catch let error as ParleyError where error.kind == .notFound {
            return InboundOutcome.ignored.summary
        }
    }

    /// `GET {media-id}` gives a short-lived URL, fetched with the same token, into an attachment.
    /// Media WhatsApp cannot give are left out (its URLs need the token, so none is kept).
    private func store(mediaId: String, type: String?, name: String, request: InboundRequest, secrets: [String: String]) async throws -> InboundMedia? {
        guard let token = secrets["accountManagementAccessToken"] else { return nil }
        let graph = GraphAPI(client: services.media.client, baseURL: apiBaseURL, accessToken: token)
        guard let answer = try? await graph.get(FormEncoding.pathSegment(mediaId)), answer.succeeded, let url = answer.text("url") else { return nil }
        do {
            return try await services.storeMedia(
                appId: request.appId, fileName: name, declaredType: type ?? answer.text("mime_type"), base: request.baseURL
            ) {
                try await services.media.fetch(url, authorization: "Bearer \(token)", into: &$0)
            }
        } catch is MediaFetcher.Failure {
            return nil
        }
    }

    /// `delivered` and `failed` statuses of Parley's messages as delivery events (found by the
    /// wamid the send was accepted under); `read` as the user's read of the conversation.
    private func statuses(_ value: [String: JSONValue], request: InboundRequest, integration: Integration) async throws -> [JSONValue] {
        guard case .array(let statuses)? = value["statuses"] else { return [] }
        var outcomes: [JSONValue] = []
        for case .object(let status) in statuses {
            guard let id = JSONValue.text(status["id"]) else { continue }
            switch JSONValue.text(status["status"]) {
            case "delivered":
                let recorded = try await services.clients.recordReport(
                    integrationId: integration.id, externalMessageId: id, appId: request.appId, delivered: true, error: nil)
                outcomes.append(.object(["result": .string(recorded ? "recorded" : "ignored")]))
            case "failed":
                var error: String?
                if case .array(let errors)? = status["errors"], case .object(let first)? = errors.first {
                    let code: Int? = if case .integer(let code)? = first["code"] { Int(code) } else { nil }
                    error = WhatsAppErrors.describe(code: code, title: JSONValue.text(first["title"]) ?? JSONValue.text(first["message"]))
                }
                let recorded = try await services.clients.recordReport(
                    integrationId: integration.id, externalMessageId: id, appId: request.appId, delivered: false,
                    error: error ?? "WhatsApp could not deliver the message")
                outcomes.append(.object(["result": .string(recorded ? "recorded" : "ignored")]))
            case "read":
                guard let recipient = JSONValue.text(status["recipient_id"]), let reader = try? PhoneNumber.normalized("+" + recipient, field: "recipient_id")
                else { continue }
                outcomes.append(try await services.inbound.receive(InboundMessage(
                    appId: request.appId, integrationId: integration.id, channel: "whatsapp", sender: reader, text: "", signal: .read)).summary)
            default:
                continue  // sent, deleted, warning
            }
        }
        return outcomes
    }
}

import Foundation
import ParleyDomain
import ParleyWire

/// MessageBird calling `…/integrations/{integrationId}/inbound/webhook?secret={webhookSecret}`.
/// Before anything else is read, the `MessageBird-Signature-JWT` must verify under the
/// integration's signing key for this very URL and body, and the URL must carry the
/// integration's `webhookSecret`. Then a GET is the status report of an SMS Parley sent, and a
/// POST whose JSON has no `message` object is an SMS a Flow Builder step forwarded (both read by
/// `MessageBirdSMSInbox`). The rest is the Conversations webhook (`{type, contact, conversation,
/// message}`), with the statuses of the messages Parley sent there (their `reportUrl`):
/// - a message the user sent (`message.created`, direction `received`, on the integration's
///   channel): its text, its image, video, audio or file fetched into an attachment, a location as
///   a text with a map link; a retry is stored once (by MessageBird's message id);
/// - a message Parley sent (direction `sent`): `delivered` is the user's delivery, `failed` and
///   `rejected` a delivery failure with MessageBird's error, `read` the user's read; other
///   statuses (`accepted`, `pending`, `sent`) change nothing;
/// - anything else (conversation events, other channels' messages) is acknowledged and ignored.
struct MessageBirdInbox {
    let services: ChannelServices

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        guard let signingKey = secrets["signingKey"] else {
            throw ParleyError.unauthorized("The integration has no signingKey to check MessageBird's signature with")
        }
        do {
            try MessageBirdSignature.verify(
                request.headers["messagebird-signature-jwt"], url: request.url, body: request.body, signingKey: signingKey, now: services.now())
        } catch let refusal as MessageBirdSignature.Refusal {
            throw ParleyError.unauthorized(refusal.reason)
        }
        guard MessageBirdChannel.isWebhookSecret(request.query["secret"], of: integration) else {
            throw ParleyError.unauthorized("The webhook URL must carry this integration's webhookSecret as ?secret=")
        }
        let sms = MessageBirdSMSInbox(services: services)
        if request.method == .get {
            return .json(try await sms.report(request, integration: integration))
        }
        guard case .object(let event)? = try? JSONParser.decode(Data(request.body)) else {
            throw ParleyError.badRequest("Expected a MessageBird event as JSON: a Flow Builder SMS or a Conversations event")
        }
        if MessageBirdSMSInbox.isForwardedSMS(event) {
            return .json(try await sms.forwarded(event, request: request, integration: integration).summary)
        }
        guard case .object(let message)? = event["message"], Self.concerns(message, originator: integration.textSetting("originator")) else {
            return .json(InboundOutcome.ignored.summary)
        }
        if JSONValue.text(message["direction"]) == "received" {
            // A received message is reported once created; its updates say nothing new.
            guard JSONValue.text(event["type"]) ?? "message.created" == "message.created" else { return .json(InboundOutcome.ignored.summary) }
            return .json(try await received(message, event: event, request: request, integration: integration, secrets: secrets).summary)
        }
        return .json(try await status(message, request: request, integration: integration))
    }

    /// Whether a message is on the integration's channel: its `channelId` is the originator, or
    /// the business's side of it (`to` of a received message, `from` of a sent one) is the
    /// originator's number. A message telling neither is taken (the webhook is the integration's).
    static func concerns(_ message: [String: JSONValue], originator: String?) -> Bool {
        guard let originator else { return true }
        let channel = JSONValue.text(message["channelId"])
        if channel == originator { return true }
        let business = JSONValue.text(message["direction"]) == "received" ? JSONValue.text(message["to"]) : JSONValue.text(message["from"])
        if let business, let number = phoneNumber(business), number == phoneNumber(originator) { return true }
        return channel == nil && business == nil
    }

    private func received(
        _ message: [String: JSONValue], event: [String: JSONValue], request: InboundRequest, integration: Integration, secrets: [String: String]
    ) async throws -> InboundOutcome {
        guard let from = JSONValue.text(message["from"]), let sender = Self.phoneNumber(from) else {
            throw ParleyError.badRequest("message.from must be the sender's phone number in international format")
        }
        let kind = JSONValue.text(message["type"]) ?? "text"
        let content: [String: JSONValue] = if case .object(let content)? = message["content"] { content } else { [:] }
        var text = JSONValue.text(content["text"]) ?? ""
        var media: [InboundMedia] = []
        switch kind {
        case "image", "video", "audio", "file":
            if case .object(let item)? = content[kind], let url = JSONValue.text(item["url"]) {
                if let caption = JSONValue.text(item["caption"]), text.isEmpty { text = caption }
                if let stored = try await store(url, kind: kind, request: request, accessKey: secrets["accessKey"]) { media.append(stored) }
            }
        case "location":
            if case .object(let location)? = content["location"], let latitude = JSONValue.number(location["latitude"]),
                let longitude = JSONValue.number(location["longitude"])
            {
                text = "Location shared:\nhttps://maps.google.com/maps?q=\(latitude),\(longitude)"
            }
        default: break
        }
        guard !text.isEmpty || !media.isEmpty else { return .ignored }
        let contact: [String: JSONValue] = if case .object(let contact)? = event["contact"] { contact } else { [:] }
        var profile = Profile()
        profile.givenName = JSONValue.text(contact["firstName"])
        profile.surname = JSONValue.text(contact["lastName"])
        let fullName = [profile.givenName, profile.surname].compactMap { $0 }.joined(separator: " ")
        let name = JSONValue.text(contact["displayName"]) ?? (fullName.isEmpty ? nil : fullName)
        return try await services.inbound.receive(InboundMessage(
            appId: request.appId, integrationId: integration.id, channel: "messagebird", sender: sender, senderName: name == sender ? nil : name,
            senderProfile: profile, text: text, media: media, originalMessageId: JSONValue.text(message["id"])))
    }

    /// A file MessageBird keeps (its media URLs want the account's access key), fetched into an
    /// attachment. One that cannot be fetched keeps MessageBird's URL, so the message is not lost;
    /// one the attachment rules refuse is left out. MessageBird names no media type: the URL's
    /// extension tells it, else a name typical of the kind (`image.jpg`).
    private func store(_ url: String, kind: String, request: InboundRequest, accessKey: String?) async throws -> InboundMedia? {
        let last = URL(string: url)?.lastPathComponent ?? ""
        let typical = ["image": "image.jpg", "video": "video.mp4", "audio": "audio.ogg", "file": "file"][kind] ?? "file"
        let fileName = last.contains(".") ? last : typical
        do {
            return try await services.storeMedia(appId: request.appId, fileName: fileName, declaredType: nil, base: request.baseURL) {
                try await services.media.fetch(url, authorization: accessKey.map { "AccessKey \($0)" }, into: &$0)
            }
        } catch is MediaFetcher.Failure {
            return InboundMedia(url: url, mediaType: kind == "image" ? AttachmentRules.mediaType(declared: nil, fileName: fileName) : nil)
        }
    }

    /// A status of a message Parley sent, found by MessageBird's id.
    private func status(_ message: [String: JSONValue], request: InboundRequest, integration: Integration) async throws -> JSONValue {
        let ignored = InboundOutcome.ignored.summary
        guard let id = JSONValue.text(message["id"]) else { return ignored }
        switch JSONValue.text(message["status"]) {
        case "delivered":
            let recorded = try await services.clients.recordReport(
                integrationId: integration.id, externalMessageId: id, appId: request.appId, delivered: true, error: nil)
            return .object(["result": .string(recorded ? "recorded" : "ignored")])
        case let status? where status == "failed" || status == "rejected":
            let error: String
            if case .object(let fields)? = message["error"], let described = MessageBirdAnswer.describe(code: fields["code"], description: fields["description"]) {
                error = "\(described): the message was \(status)"
            } else {
                error = "MessageBird reported the message \(status)"
            }
            let recorded = try await services.clients.recordReport(
                integrationId: integration.id, externalMessageId: id, appId: request.appId, delivered: false, error: error)
            return .object(["result": .string(recorded ? "recorded" : "ignored")])
        case "read":
            guard let to = JSONValue.text(message["to"]), let reader = Self.phoneNumber(to) else { return ignored }
            return try await services.inbound.receive(InboundMessage(
                appId: request.appId, integrationId: integration.id, channel: "messagebird", sender: reader, text: "", signal: .read)).summary
        default:
            return ignored
        }
    }

    /// A number in E.164; MessageBird writes MSISDNs without the `+` (`31612345678`), which is added.
    static func phoneNumber(_ value: String) -> String? {
        let digitsOnly = !value.isEmpty && value.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return try? PhoneNumber.normalized(digitsOnly ? "+" + value : value, field: "message.from")
    }
}

import Foundation
import ParleyDomain
import ParleyWire

/// Meta calling the app's webhook at `…/integrations/{integrationId}/inbound/webhook`:
/// - GET: the subscription handshake (`MetaWebhook.subscription`, the integration's
///   `webhookVerifyToken`);
/// - POST: `{object, entry: [{id, time, messaging: [event]}]}`, its `X-Hub-Signature-256`
///   checked under the app secret before anything else is read. Each event, from `sender.id`
///   (the person's page- or Instagram-scoped id):
///   - `message`: its text, its image, video, audio and file attachments fetched into Parley's
///     attachments, a quick reply's payload; keyed by its `mid`, so Meta's retries are stored
///     once; the page's own messages (`is_echo`) are skipped; on Instagram, a story reply is
///     skipped when `storyRepliesEnabled` is false and a story mention is a referral (code
///     `story_mention`) unless `storyMentionsEnabled` is false;
///   - `postback`: a button Parley sent (`p:{jobId}:{index}`) is the action's
///     `conversation:postback`; another payload (a persistent menu's, Get Started) is one with
///     that payload; its `referral` (a link's `ref`) a `conversation:referral` first;
///   - `referral`: `conversation:referral` with its `ref` as code and the whole as details;
///   - `delivery`: each of its `mids` reported delivered (`conversation:message:delivery:user`);
///   - `read`: `conversation:read`.
/// The answer is 200 with what became of each event.
struct MessengerInbox {
    let platform: MessengerPlatform
    let services: ChannelServices

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        let root: [String: JSONValue]
        switch try MetaWebhook.open(request, integration: integration, secrets: secrets) {
        case .handshake(let answer): return answer
        case .notification(let notification): root = notification
        }
        guard case .string(let object)? = root["object"] else {
            throw ParleyError.badRequest("Expected a Meta webhook notification as JSON: {object, entry}")
        }
        guard object == platform.webhookObject, case .array(let entries)? = root["entry"] else {
            return .json(.object(["result": .string("ignored")]))
        }
        var outcomes: [JSONValue] = []
        for case .object(let entry) in entries {
            // One Meta app may serve several pages: another page's entries are another integration's.
            guard platform.owns(entry, integration: integration), case .array(let events)? = entry["messaging"] else { continue }
            for case .object(let event) in events {
                outcomes.append(try await handle(event, request: request, integration: integration).summary)
            }
        }
        // As WhatsApp's: one outcome per event of the batch.
        return .json(.object(["results": .array(outcomes)]))
    }

    private func handle(_ event: [String: JSONValue], request: InboundRequest, integration: Integration) async throws -> InboundOutcome {
        guard case .object(let sender)? = event["sender"], let senderId = JSONValue.text(sender["id"]) else { return .ignored }
        let inbound = InboundMessage(appId: request.appId, integrationId: integration.id, channel: platform.type, sender: senderId, text: "")
        if case .object(let message)? = event["message"] {
            return try await self.message(message, inbound: inbound, request: request, integration: integration)
        }
        if case .object(let postback)? = event["postback"] {
            if case .object(let referral)? = postback["referral"] { _ = try await signal(Self.referral(referral), inbound) }
            return try await self.postback(postback, inbound: inbound)
        }
        if case .object(let referral)? = event["referral"] { return try await signal(Self.referral(referral), inbound) }
        if case .object(let delivery)? = event["delivery"] {
            var recorded = false
            if case .array(let mids)? = delivery["mids"] {
                for case .string(let mid) in mids {
                    recorded = try await services.clients.recordReport(
                        integrationId: integration.id, externalMessageId: mid, appId: request.appId, delivered: true, error: nil) || recorded
                }
            }
            return recorded ? .signalled : .ignored
        }
        if case .object? = event["read"] { return try await signal(.read, inbound) }
        return .ignored
    }

    private func signal(_ signal: ChannelSignal, _ inbound: InboundMessage) async throws -> InboundOutcome {
        var inbound = inbound
        inbound.signal = signal
        return try await services.inbound.receive(inbound)
    }

    private func message(_ message: [String: JSONValue], inbound: InboundMessage, request: InboundRequest, integration: Integration) async throws
        -> InboundOutcome
    {
        if message["is_echo"] == .bool(true) { return .ignored }
        if case .object(let replyTo)? = message["reply_to"], replyTo["story"] != nil, integration.settings["storyRepliesEnabled"] == .bool(false) {
            return .ignored
        }
        var inbound = inbound
        inbound.text = JSONValue.text(message["text"]) ?? ""
        inbound.originalMessageId = JSONValue.text(message["mid"])
        if case .object(let quickReply)? = message["quick_reply"] { inbound.replyPayload = JSONValue.text(quickReply["payload"]) }
        if case .array(let attachments)? = message["attachments"] {
            for (index, attachment) in attachments.enumerated() {
                guard case .object(let attachment) = attachment, let type = JSONValue.text(attachment["type"]) else { continue }
                let url: String? = if case .object(let payload)? = attachment["payload"] { JSONValue.text(payload["url"]) } else { nil }
                if type == "story_mention" {
                    guard integration.settings["storyMentionsEnabled"] != .bool(false) else { continue }
                    var details: [String: JSONValue] = ["source": .string("story_mention")]
                    if let url { details["storyUrl"] = .string(url) }
                    inbound.signal = .referral(code: "story_mention", details: .object(details))
                } else if let kind = Self.mediaKinds[type], let url {
                    inbound.media.append(await store(url, kind: kind, index: index, request: request))
                }
            }
        }
        guard !inbound.text.isEmpty || !inbound.media.isEmpty || inbound.signal != nil else { return .ignored }
        return try await services.inbound.receive(inbound)
    }

    private func postback(_ postback: [String: JSONValue], inbound: InboundMessage) async throws -> InboundOutcome {
        guard let payload = JSONValue.text(postback["payload"]) else { return .ignored }
        guard let (jobId, action) = PostbackButton.choice(payload) else {
            return try await signal(.postback(payload: payload, metadata: nil), inbound)
        }
        do {
            return try await services.inbound.postbackChosen(
                appId: inbound.appId, integrationId: inbound.integrationId, channel: platform.type, jobId: jobId, action: action)
        } catch let error as ParleyError where error.kind == .notFound {
            return .ignored
        }
    }

    /// A referral's `ref` (an `m.me`/`ig.me` link's, a Get Started's) as its code, else the ad's
    /// id or its source; the whole object as details.
    static func referral(_ referral: [String: JSONValue]) -> ChannelSignal {
        .referral(code: JSONValue.text(referral["ref"]) ?? JSONValue.text(referral["ad_id"]) ?? JSONValue.text(referral["source"]) ?? "", details: .object(referral))
    }

    /// The attachment types that are files, with the media type and file suffix assumed when
    /// Meta's URL does not name one.
    static let mediaKinds: [String: (type: String, suffix: String)] = [
        "image": ("image/jpeg", ".jpg"), "video": ("video/mp4", ".mp4"), "audio": ("audio/mpeg", ".mp3"), "file": ("application/octet-stream", ""),
    ]

    /// Meta's CDN file at `url` (no credential needed) stored as an attachment; when it cannot be
    /// fetched or stored, the message points at Meta's URL instead.
    private func store(_ url: String, kind: (type: String, suffix: String), index: Int, request: InboundRequest) async -> InboundMedia {
        let last = URL(string: url)?.lastPathComponent ?? ""
        let named = last.contains(".") && last.count <= 128
        let fileName = named ? last : "attachment\(index + 1)\(kind.suffix)"
        do {
            let stored = try await services.storeMedia(appId: request.appId, fileName: fileName, declaredType: named ? nil : kind.type, base: request.baseURL) {
                try await services.media.fetch(url, authorization: nil, into: &$0)
            }
            return stored ?? InboundMedia(url: url, mediaType: kind.type)
        } catch {
            return InboundMedia(url: url, mediaType: kind.type)
        }
    }
}

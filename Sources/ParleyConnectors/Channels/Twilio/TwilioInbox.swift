import ParleyDomain
import ParleyWire

/// Twilio calling Parley. Two endpoints under `…/integrations/{integrationId}/inbound/`:
/// - `message`: the incoming-message webhook of the integration's number or messaging service
///   (`From`, `Body`, `NumMedia`, `MediaUrl0…`, `MediaContentType0…`, `MessageSid`, and with
///   Advanced Opt-Out `OptOutType`), answered with an empty TwiML `<Response/>` so that Twilio
///   sends no reply of its own;
/// - `status`: the status callbacks Parley asks for on each send (`MessageStatus`, `ErrorCode`),
///   the job named in the URL's `job` parameter.
/// Both are verified by `X-Twilio-Signature` with the integration's auth token before anything
/// else of the request is read.
struct TwilioInbox {
    let services: ChannelServices

    /// Twilio's default opt-out and opt-in keywords: the whole message, any case.
    static let optOutKeywords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]
    static let optInKeywords: Set<String> = ["START", "YES", "UNSTOP", "OPTIN"]

    static let emptyTwiML = InboundReply.document(
        contentType: "text/xml; charset=utf-8", text: #"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#)

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        guard let authToken = secrets["authToken"] else {
            throw ParleyError.unauthorized("The integration has no authToken to check Twilio's signature with")
        }
        let form = FormFields(contentType: request.contentType, body: request.body)
        guard TwilioSignature.isValid(request.headers["x-twilio-signature"], url: request.url, parameters: form?.pairs ?? [], authToken: authToken)
        else {
            throw ParleyError.unauthorized(
                request.headers["x-twilio-signature"] == nil
                    ? "The request has no X-Twilio-Signature" : "The X-Twilio-Signature does not match this URL and body (is PARLEY_PUBLIC_URL the URL Twilio calls?)")
        }
        guard let form else { throw ParleyError.badRequest("Expected Twilio's application/x-www-form-urlencoded parameters") }
        // Signed with this integration's token yet for another account: not a call for this integration.
        if let account = form["AccountSid"], let expected = integration.textSetting("accountSid"), account != expected {
            throw ParleyError.unauthorized("The request is for another Twilio account than this integration's")
        }
        if request.endpoint == "status" {
            return .json(try await status(form, request: request))
        }
        _ = try await message(form, appId: request.appId, integrationId: integration.id)
        return Self.emptyTwiML
    }

    private func message(_ form: FormFields, appId: ResourceID, integrationId: ResourceID) async throws -> InboundOutcome {
        guard let from = form["From"], !from.isEmpty else { throw ParleyError.badRequest("The message has no From") }
        let sender = try PhoneNumber.normalized(from, field: "From")
        let count = Int(form["NumMedia"] ?? "0") ?? 0
        // Twilio sends at most 10 media per message.
        let media = (0..<min(max(count, 0), 10)).compactMap { index -> InboundMedia? in
            guard let url = form["MediaUrl\(index)"], !url.isEmpty else { return nil }
            return InboundMedia(url: url, mediaType: form["MediaContentType\(index)"])
        }
        let text = form["Body"] ?? ""
        return try await services.inbound.receive(InboundMessage(
            appId: appId, integrationId: integrationId, channel: "twilio", sender: sender, text: text, media: media,
            originalMessageId: form["MessageSid"] ?? form["SmsSid"], consent: Self.consent(form, text: text)))
    }

    /// With Advanced Opt-Out Twilio names the keyword's kind (`OptOutType`); without it the
    /// message itself is read against Twilio's default keywords.
    static func consent(_ form: FormFields, text: String) -> ChannelConsent? {
        switch form["OptOutType"]?.uppercased() {
        case "STOP": return .optOut
        case "START": return .optIn
        case .some: return nil
        case nil: break
        }
        let word = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if optOutKeywords.contains(word) { return .optOut }
        if optInKeywords.contains(word) { return .optIn }
        return nil
    }

    /// `delivered` becomes `conversation:message:delivery:user`; `undelivered` and `failed`
    /// `…:failure` with Twilio's error code. `queued`, `sending` and `sent` say what the send's
    /// acceptance already recorded (`…:delivery:channel`), and `read` (WhatsApp only) has no
    /// delivery event: those change nothing.
    private func status(_ form: FormFields, request: InboundRequest) async throws -> JSONValue {
        let status = form["MessageStatus"] ?? form["SmsStatus"] ?? ""
        guard let jobId = request.query["job"].flatMap(ResourceID.init), ["delivered", "undelivered", "failed"].contains(status) else {
            return .object(["result": .string("ignored")])
        }
        let error = form["ErrorCode"].map { code in "Twilio error \(code): the message was \(status)" } ?? "Twilio reported the message \(status)"
        let recorded = try await services.clients.recordReport(jobId: jobId, appId: request.appId, delivered: status == "delivered", error: error)
        return .object(["result": .string(recorded ? "recorded" : "ignored")])
    }
}

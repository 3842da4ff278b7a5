import Foundation
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
        let credentials = "Basic " + Data("\(integration.textSetting("accountSid") ?? form["AccountSid"] ?? ""):\(authToken)".utf8).base64EncodedString()
        _ = try await message(form, request: request, integrationId: integration.id, credentials: credentials)
        return Self.emptyTwiML
    }

    private func message(_ form: FormFields, request: InboundRequest, integrationId: ResourceID, credentials: String) async throws -> InboundOutcome {
        let appId = request.appId
        guard let from = form["From"], !from.isEmpty else { throw ParleyError.badRequest("The message has no From") }
        let sender = try PhoneNumber.normalized(from, field: "From")
        let count = Int(form["NumMedia"] ?? "0") ?? 0
        // Twilio sends at most 10 media per message.
        var media: [InboundMedia] = []
        for index in 0..<min(max(count, 0), 10) {
            guard let url = form["MediaUrl\(index)"], !url.isEmpty else { continue }
            if let stored = try await store(url, type: form["MediaContentType\(index)"], index: index, appId: appId, request: request, credentials: credentials) {
                media.append(stored)
            }
        }
        let text = form["Body"] ?? ""
        return try await services.inbound.receive(InboundMessage(
            appId: appId, integrationId: integrationId, channel: "twilio", sender: sender, text: text, media: media,
            originalMessageId: form["MessageSid"] ?? form["SmsSid"], consent: Self.consent(form, text: text)))
    }

    /// An MMS's media, fetched from Twilio (with the account's credentials: Twilio's media URLs
    /// require them) into an attachment. One that cannot be fetched keeps Twilio's URL, so the
    /// message is not lost; one the attachment rules refuse is left out.
    private func store(_ url: String, type: String?, index: Int, appId: ResourceID, request: InboundRequest, credentials: String) async throws
        -> InboundMedia?
    {
        let kind = type?.split(separator: "/").first.map(String.init) ?? "media"
        let suffix = type?.split(separator: "/").last.map { "." + $0 } ?? ""
        do {
            return try await services.storeMedia(appId: appId, fileName: "\(kind)\(index + 1)\(suffix)", declaredType: type, base: request.baseURL) {
                try await services.media.fetch(url, authorization: credentials, into: &$0)
            }
        } catch is MediaFetcher.Failure {
            return InboundMedia(url: url, mediaType: type)
        }
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

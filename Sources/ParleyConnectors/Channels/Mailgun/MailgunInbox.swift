import Foundation
import ParleyDomain
import ParleyWire

/// Mailgun calling Parley. Two endpoints under `…/integrations/{integrationId}/inbound/`:
/// - `messages`: a route's `forward()` of an inbound email (form data with `from`, `recipient`,
///   `subject`, `body-plain`, `stripped-text`, `Message-Id`, the attachments as file parts
///   `attachment-1`…, and `timestamp`/`token`/`signature`);
/// - `events`: an event webhook (JSON `{"signature": {…}, "event-data": {…}}`); `delivered` and
///   permanent `failed` events for Parley's deliveries become `conversation:message:delivery:user`
///   and `…:failure`.
/// Both are signed with the integration's `signingKey` (Mailgun's HTTP webhook signing key), or its
/// `apiKey` when no signing key was given (Mailgun's older scheme), and checked before anything
/// else of the request is used.
struct MailgunInbox {
    let services: ChannelServices

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        guard let key = secrets["signingKey"] ?? secrets["apiKey"] else {
            throw ParleyError.unauthorized("The integration has neither signingKey nor apiKey to check Mailgun's signature with")
        }
        let body = request.body
        // The signature first: a body that cannot even be read carries none, so it is refused as
        // unsigned (401) before anything about its shape is said.
        if request.endpoint == "messages" {
            let form = FormFields(contentType: request.contentType, body: body)
            try check(
                MailgunSignature(timestamp: form?["timestamp"] ?? "", token: form?["token"] ?? "", signature: form?["signature"] ?? ""), key)
            guard let form else {
                throw ParleyError.badRequest("Expected a Mailgun route forward: multipart/form-data or application/x-www-form-urlencoded")
            }
            return .json(try await message(form, request: request, integrationId: integration.id).summary)
        }
        let root: [String: JSONValue]? = if case .object(let root)? = try? JSONParser.decode(Data(body)) { root } else { nil }
        let signature: [String: JSONValue] = if case .object(let signature)? = root?["signature"] { signature } else { [:] }
        try check(
            MailgunSignature(timestamp: Self.text(signature["timestamp"]), token: Self.text(signature["token"]), signature: Self.text(signature["signature"])),
            key)
        guard case .object(let eventData)? = root?["event-data"] else {
            throw ParleyError.badRequest("Expected a Mailgun event webhook: {\"signature\": {…}, \"event-data\": {…}}")
        }
        return .json(try await report(eventData, appId: request.appId))
    }

    private func check(_ signature: MailgunSignature, _ key: String) throws {
        switch signature.verify(key: key, now: services.now()) {
        case .valid: return
        case .forged: throw ParleyError.unauthorized("The Mailgun signature does not match")
        case .stale:
            throw ParleyError.unauthorized(
                "The Mailgun signature's timestamp is more than \(Int(MailgunSignature.replayWindowSeconds / 60)) minutes from now")
        }
    }

    private func message(_ form: FormFields, request: InboundRequest, integrationId: ResourceID) async throws -> InboundOutcome {
        let appId = request.appId
        guard let (address, name) = Self.mailbox(form["from"] ?? form["sender"] ?? "") ?? Self.mailbox(form["sender"] ?? "") else {
            throw ParleyError.badRequest("The email has no sender address")
        }
        // The email's attachments (`attachment-1`…), each stored as an attachment of its own
        // message; one the attachment rules refuse is left out.
        var media: [InboundMedia] = []
        for file in form.files {
            let stored = try await services.storeMedia(appId: appId, fileName: file.fileName, declaredType: file.contentType, base: request.baseURL) {
                try $0.write(file.bytes)
            }
            if let stored { media.append(stored) }
        }
        let text = QuotedReply.strip(form["stripped-text"] ?? form["body-plain"] ?? "")
        let referral = form["recipient"].flatMap(MailgunConnector.referralTag(ofRecipient:))
        return try await services.inbound.receive(InboundMessage(
            appId: appId, integrationId: integrationId, channel: "mailgun", sender: address, senderName: name,
            senderProfile: Profile(email: address), conversationHint: form["recipient"].flatMap(MailgunConnector.conversationTag(ofRecipient:)),
            text: text, media: media, subject: form["subject"], originalMessageId: form["Message-Id"] ?? form["message-id"],
            signal: referral.map { ChannelSignal.referral(code: $0, details: nil) }))
    }

    private func report(_ eventData: [String: JSONValue], appId: ResourceID) async throws -> JSONValue {
        let event = Self.text(eventData["event"])
        guard case .object(let variables)? = eventData["user-variables"], let jobId = ResourceID(Self.text(variables["parley-job"])),
            event == "delivered" || (event == "failed" && Self.text(eventData["severity"]) == "permanent")
        else { return .object(["result": .string("ignored")]) }
        var error: String?
        if case .object(let status)? = eventData["delivery-status"] {
            error = [Self.text(status["description"]), Self.text(status["message"])].first { !$0.isEmpty }
        }
        let recorded = try await services.clients.recordReport(jobId: jobId, appId: appId, delivered: event == "delivered", error: error)
        return .object(["result": .string(recorded ? "recorded" : "ignored")])
    }

    /// `Steve B <steveb@channel5.com>` → ("steveb@channel5.com", "Steve B"); a bare address has no name.
    static func mailbox(_ header: String) -> (address: String, name: String?)? {
        var address = header.trimmingCharacters(in: .whitespaces)
        var name: String?
        if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
            let display = address[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            name = display.isEmpty ? nil : display
            address = String(address[address.index(after: open)..<close])
        }
        address = address.trimmingCharacters(in: .whitespaces).lowercased()
        // Exactly one @, with something on both sides.
        let parts = address.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !address.contains(where: \.isWhitespace) else { return nil }
        return (address, name)
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        case .double(let number)?: String(number)
        default: ""
        }
    }
}

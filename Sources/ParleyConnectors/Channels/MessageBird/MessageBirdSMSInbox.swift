import Foundation
import ParleyDomain
import ParleyWire

/// What MessageBird tells of SMS on the integration's number, once `MessageBirdInbox` has checked
/// the signature and the `webhookSecret`:
/// - an SMS a user sent, which the number's Flow Builder flow ("Call HTTP endpoint with SMS",
///   "Forward to URL", POST, `application/json`) forwards as flat JSON: the sender's number in
///   `originator` (an MSISDN, `31612345678`), the text in `payload` (also read from `body`, as
///   MessageBird's SMS API names it), the number it was sent to in `recipient` (or `receiver`),
///   MessageBird's `id`. The sender in E.164 is the user's client (`externalId`, as a
///   `phoneNumber` link spells it), so a linked user's reply reaches their conversation;
/// - a status report of an SMS Parley sent (its `reportUrl`): a GET whose query has MessageBird's
///   message `id`, Parley's `reference`, the `recipient` and the `status`. `delivered` is the
///   user's delivery; `delivery_failed` and `expired` a failure with `statusErrorCode` and
///   `statusReason`; `scheduled`, `sent`, `buffered` change nothing.
struct MessageBirdSMSInbox {
    let services: ChannelServices

    /// A Flow Builder forward is flat: a sender and no Conversations `message` object.
    static func isForwardedSMS(_ event: [String: JSONValue]) -> Bool {
        guard !isObject(event["message"]) else { return false }
        return field(event, "originator", "sender") != nil
    }

    func forwarded(_ event: [String: JSONValue], request: InboundRequest, integration: Integration) async throws -> InboundOutcome {
        let sender = Self.field(event, "originator", "sender")
        guard let sender, let number = MessageBirdInbox.phoneNumber(sender) else {
            throw ParleyError.badRequest("originator must be the sender's phone number in international format")
        }
        // An SMS to another number (a flow shared between numbers) is not this integration's.
        if let recipient = Self.field(event, "recipient", "receiver"), let own = MessageBirdChannel.smsNumber(integration.textSetting("originator")),
            let to = MessageBirdInbox.phoneNumber(recipient), to != own
        {
            return .ignored
        }
        guard let text = Self.field(event, "payload", "body", "message") else { return .ignored }
        return try await services.inbound.receive(InboundMessage(
            appId: request.appId, integrationId: integration.id, channel: "messagebird", sender: number, text: text,
            originalMessageId: Self.field(event, "id", "messageId")))
    }

    func report(_ request: InboundRequest, integration: Integration) async throws -> JSONValue {
        let ignored = InboundOutcome.ignored.summary
        guard let id = request.query["id"], !id.isEmpty, let status = request.query["status"], !status.isEmpty else {
            throw ParleyError.badRequest("A MessageBird status report names the message (id) and its status")
        }
        let delivered: Bool
        let error: String?
        switch status {
        case "delivered":
            delivered = true
            error = nil
        case "delivery_failed", "expired":
            delivered = false
            let code = request.query["statusErrorCode"].flatMap { $0.isEmpty ? nil : "MessageBird error \($0)" }
            let reason = request.query["statusReason"].flatMap { $0.isEmpty ? nil : $0 }
            let described = [code, reason].compactMap { $0 }.joined(separator: ": ")
            error = described.isEmpty ? "MessageBird reported the SMS \(status)" : "\(described): the SMS was \(status)"
        default:
            return ignored
        }
        let recorded = try await services.clients.recordReport(
            integrationId: integration.id, externalMessageId: id, appId: request.appId, delivered: delivered, error: error)
        return .object(["result": .string(recorded ? "recorded" : "ignored")])
    }

    /// The first of `names` that is a non-empty string (or a number, as MSISDNs may be written).
    private static func field(_ event: [String: JSONValue], _ names: String...) -> String? {
        for name in names {
            switch event[name] {
            case .string(let text)? where !text.isEmpty: return text
            case .integer(let number)?: return String(number)
            default: continue
            }
        }
        return nil
    }

    private static func isObject(_ value: JSONValue?) -> Bool {
        if case .object? = value { return true }
        return false
    }
}

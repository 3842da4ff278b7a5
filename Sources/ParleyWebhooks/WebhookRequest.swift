import Crypto
import Foundation
import ParleyDomain
import ParleyWire

/// The HTTP request one delivery attempt makes: the spec's envelope, `X-API-Key`, and Parley's
/// signature so a receiver can prove the body came from its Parley and was not replayed.
///
/// Signature scheme (docs/WEBHOOKS.md): `X-Parley-Signature: v1=<hex HMAC-SHA256(key: webhook
/// secret, message: "<X-Parley-Timestamp>.<raw body>")>`, with `X-Parley-Timestamp` in Unix seconds.
public struct WebhookRequest: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: Data

    /// `secret`: the webhook's secret, opened (`WebhookService.secret(of:)`).
    public init(batch: DeliveryBatch, secret: String, deliveryId: String, timestamp: Int64) throws {
        let envelope: JSONValue = .object([
            "app": .object(["id": .string(batch.appId.rawValue)]),
            "webhook": .object(["id": .string(batch.webhook.id.rawValue), "version": .string(batch.webhook.version)]),
            "events": .array(batch.events.map { event in EventJSON.item(event, payload: Self.applyOptions(event.payload, webhook: batch.webhook)) }),
        ])
        // Sorted keys (the signed bytes must not depend on dictionary order, which Linux varies),
        // written by JSONWriter: the bytes JSONEncoder would write, for a fraction of the work on a
        // batch of 100 events.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024 * batch.events.count)
        try JSONWriter.write(envelope, into: &bytes)
        self.body = Data(bytes)
        self.url = batch.webhook.target
        self.headers = [
            ("Content-Type", "application/json"),
            ("X-API-Key", secret),
            ("X-Parley-Delivery", deliveryId),
            ("X-Parley-Timestamp", String(timestamp)),
            ("X-Parley-Signature", "v1=" + Self.signature(secret: secret, timestamp: timestamp, body: body)),
        ]
    }

    public static func signature(secret: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// `includeFullUser`: the full user under an author stays only for webhooks that asked for it.
    static func applyOptions(_ payload: JSONValue, webhook: Webhook) -> JSONValue {
        guard !webhook.includeFullUser else { return payload }
        func strip(_ value: JSONValue, underAuthor: Bool) -> JSONValue {
            switch value {
            case .object(var fields):
                if underAuthor { fields["user"] = nil }
                for (key, child) in fields { fields[key] = strip(child, underAuthor: key == "author") }
                return .object(fields)
            case .array(let items):
                return .array(items.map { strip($0, underAuthor: false) })
            default:
                return value
            }
        }
        return strip(payload, underAuthor: false)
    }
}

import Crypto
import Foundation
import ParleyDomain
import ParleyWebhooks
import Testing

@Suite("Webhook requests")
struct WebhookRequestTests {
    static let secret = "0123456789abcdef0123456789abcdef"

    static func batch(includeFullUser: Bool) -> DeliveryBatch {
        let webhook = Webhook(
            id: ResourceID("aaaaaaaaaaaaaaaaaaaaaaaa")!, integrationId: ResourceID("bbbbbbbbbbbbbbbbbbbbbbbb")!,
            target: "http://127.0.0.1:9/hook", triggers: [.conversationMessage], secret: SealedSecret(hash: [], sealed: []),
            includeFullUser: includeFullUser)
        let payload: JSONValue = .object([
            "conversation": .object(["id": .string("cccccccccccccccccccccccc"), "type": .string("personal")]),
            "message": .object(["author": .object(["type": .string("user"), "userId": .string("u"), "user": .object(["id": .string("u")])])]),
        ])
        let event = RecordedEvent(
            id: ResourceID("dddddddddddddddddddddddd")!, appId: ResourceID("eeeeeeeeeeeeeeeeeeeeeeee")!, type: .conversationMessage,
            conversationId: ResourceID("cccccccccccccccccccccccc"), createdAt: Timestamp(millisecondsSince1970: 1_600_000_000_000), payload: payload)
        return DeliveryBatch(webhook: webhook, appId: event.appId, events: [event], attempts: 0)
    }

    @Test("The body is the spec's envelope; headers carry X-API-Key, a delivery id and the signature")
    func envelope() throws {
        let request = try WebhookRequest(batch: Self.batch(includeFullUser: true), secret: Self.secret, deliveryId: "d-1", timestamp: 1_700_000_000)
        let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect((json["app"] as? [String: String]) == ["id": "eeeeeeeeeeeeeeeeeeeeeeee"])
        #expect((json["webhook"] as? [String: String]) == ["id": "aaaaaaaaaaaaaaaaaaaaaaaa", "version": "v2"])
        let event = try #require((json["events"] as? [[String: Any]])?.first)
        #expect(event["id"] as? String == "dddddddddddddddddddddddd")
        #expect(event["createdAt"] as? String == "2020-09-13T12:26:40.000Z")
        #expect(event["type"] as? String == "conversation:message")
        let headers = Dictionary(uniqueKeysWithValues: request.headers)
        #expect(headers["X-API-Key"] == "0123456789abcdef0123456789abcdef")
        #expect(headers["X-Parley-Delivery"] == "d-1")
        #expect(headers["X-Parley-Timestamp"] == "1700000000")
        #expect(request.body == (try WebhookRequest(batch: Self.batch(includeFullUser: true), secret: Self.secret, deliveryId: "d-1", timestamp: 1_700_000_000)).body)
    }

    /// A receiver written from the documented scheme alone: HMAC-SHA256 over "<timestamp>.<body>".
    @Test("A receiver can verify the signature independently, and a tampered body fails")
    func signature() throws {
        let request = try WebhookRequest(batch: Self.batch(includeFullUser: false), secret: Self.secret, deliveryId: "d", timestamp: 1_700_000_123)
        let headers = Dictionary(uniqueKeysWithValues: request.headers)
        func verify(_ body: Data) -> Bool {
            let signed = Data("\(headers["X-Parley-Timestamp"]!).".utf8) + body
            let key = SymmetricKey(data: Data(headers["X-API-Key"]!.utf8))
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).map { String(format: "%02x", $0) }.joined()
            return headers["X-Parley-Signature"] == "v1=\(expected)"
        }
        #expect(verify(request.body))
        var tampered = request.body
        tampered[tampered.startIndex] = UInt8(ascii: " ")
        #expect(!verify(tampered))
    }

    @Test("includeFullUser decides whether author.user is sent")
    func fullUser() throws {
        let with = String(decoding: try WebhookRequest(batch: Self.batch(includeFullUser: true), secret: Self.secret, deliveryId: "d", timestamp: 1).body, as: UTF8.self)
        let without = String(decoding: try WebhookRequest(batch: Self.batch(includeFullUser: false), secret: Self.secret, deliveryId: "d", timestamp: 1).body, as: UTF8.self)
        #expect(with.contains("\"user\":{"))
        #expect(!without.contains("\"user\":{"))
        #expect(without.contains("\"userId\":\"u\""))
    }
}

import Foundation
import Testing

/// What each trigger sends, as a receiver sees it.
@Suite("Webhook payloads", .serialized)
struct WebhookPayloadTests {
    @Test("conversation:create/message/join/leave/remove/read and user:remove carry the spec's fields")
    func triggers() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let key = WebhookDurabilityTests.key
        let (server, base) = try await ServerProcess.serve(
            database: ServeCommandTests.temporaryDatabase(), environment: WebhookDurabilityTests.environment)
        defer { server.signal(SIGKILL) }
        func call(_ method: String, _ path: String, _ json: String? = nil) async throws -> [String: Any] {
            let response = try await HTTP.send(method, base.appendingPathComponent(path), basic: key, json: json)
            #expect((200..<300).contains(response.status), "\(method) \(path): \(response.body)")
            return response.body
        }
        let appId = try #require((try await call("POST", "v2/apps", #"{"displayName":"Hooks"}"#)["app"] as? [String: Any])?["id"] as? String)
        let app = "v2/apps/\(appId)"
        let triggers = #"["conversation:create","conversation:message","conversation:join","conversation:leave","conversation:remove","conversation:read","user:remove"]"#
        _ = try await call("POST", "\(app)/integrations", #"{"type":"custom","webhooks":[{"target":"\#(receiver.url)","triggers":\#(triggers),"includeFullUser":true}]}"#)
        _ = try await call("POST", "\(app)/users", #"{"externalId":"ann","profile":{"givenName":"Ann"}}"#)
        _ = try await call("POST", "\(app)/users", #"{"externalId":"bob"}"#)
        let personal = try #require((try await call("POST", "\(app)/conversations", #"{"type":"personal","participants":[{"userExternalId":"ann"}]}"#)["conversation"] as? [String: Any])?["id"] as? String)
        let group = try #require((try await call("POST", "\(app)/conversations", #"{"type":"sdkGroup","metadata":{"team":"a"}}"#)["conversation"] as? [String: Any])?["id"] as? String)
        _ = try await call("POST", "\(app)/conversations/\(group)/join", #"{"userExternalId":"bob"}"#)
        _ = try await call("POST", "\(app)/conversations/\(personal)/messages", #"{"author":{"type":"user","userExternalId":"ann"},"content":{"type":"text","text":"hi"}}"#)
        _ = try await call("POST", "\(app)/conversations/\(personal)/activity", #"{"author":{"type":"user","userExternalId":"ann"},"type":"conversation:read"}"#)
        _ = try await call("POST", "\(app)/conversations/\(group)/leave", #"{"userExternalId":"bob"}"#)
        _ = try await call("DELETE", "\(app)/conversations/\(group)")
        _ = try await call("DELETE", "\(app)/users/bob")

        // Every trigger's event, however many arrive: a slow receiver's timeout may bring some twice.
        let expected: Set = ["conversation:create", "conversation:message", "conversation:join", "conversation:leave", "conversation:remove", "conversation:read", "user:remove"]
        try await receiver.wait { expected.isSubset(of: Set($0.map(\.type))) }
        let bodies = receiver.bodies
        func payload(_ type: String) throws -> [String: Any] {
            try #require(bodies.flatMap { ($0["events"] as? [[String: Any]]) ?? [] }.first { $0["type"] as? String == type }?["payload"] as? [String: Any], "no \(type)")
        }
        let envelope = try #require(bodies.first)
        #expect((envelope["app"] as? [String: Any])?["id"] as? String == appId)
        #expect((envelope["webhook"] as? [String: Any])?["version"] as? String == "v2")

        let created = try payload("conversation:create")
        #expect((created["conversation"] as? [String: Any])?["type"] as? String == "personal")
        #expect(created["creationReason"] as? String == "none")
        #expect((created["user"] as? [String: Any])?["externalId"] as? String == "ann")

        let message = try payload("conversation:message")
        let body = try #require(message["message"] as? [String: Any])
        #expect((body["content"] as? [String: Any])?["text"] as? String == "hi")
        let author = try #require(body["author"] as? [String: Any])
        #expect(author["type"] as? String == "user")
        #expect(((author["user"] as? [String: Any])?["profile"] as? [String: Any])?["givenName"] as? String == "Ann", "includeFullUser")
        #expect((body["source"] as? [String: Any])?["type"] as? String == "api:conversations")

        #expect((try payload("conversation:join")["user"] as? [String: Any])?["externalId"] as? String == "bob")
        #expect((try payload("conversation:leave")["conversation"] as? [String: Any])?["id"] as? String == group)
        #expect(((try payload("conversation:remove")["conversation"] as? [String: Any])?["metadata"] as? [String: String]) == ["team": "a"])
        #expect((try payload("conversation:read")["activity"] as? [String: Any])?["type"] as? String == "conversation:read")
        #expect((try payload("user:remove")["user"] as? [String: Any])?["externalId"] as? String == "bob")
        for event in bodies.flatMap({ ($0["events"] as? [[String: Any]]) ?? [] }) {
            #expect((event["id"] as? String)?.count == 24)
            #expect((event["createdAt"] as? String)?.hasSuffix("Z") == true)
        }
    }
}

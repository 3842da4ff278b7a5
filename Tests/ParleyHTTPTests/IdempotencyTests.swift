import Foundation
import HTTPTypes
import ParleyDomain
import Testing

/// `Idempotency-Key` on POSTs (docs/DECISIONS.md "Idempotency keys").
@Suite("Idempotency keys")
struct IdempotencyTests {
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// `json` as the same bytes every time: a retry resends its request unchanged, and
    /// `JSONSerialization` may order a dictionary's keys differently from one copy to the next.
    static func post(_ api: APIClient, _ path: String, _ json: Any, key: String) async throws -> APIResponse {
        let bytes = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return try await api.call(.post, path, bytes: Array(bytes), headers: ["Idempotency-Key": key])
    }

    static func messageCount(_ api: APIClient, appId: String, conversationId: String) async throws -> Int {
        try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages").list("messages").count
    }

    @Test("A retry with the same key and body replays the first answer, marked; the message is written once")
    func replay() async throws {
        try await TestServer.run { api in
            let app = try await api.createApp()
            let conversation = try await api.createPersonalConversation(appId: app, externalId: "u1")
            let path = "/v2/apps/\(app)/conversations/\(conversation)/messages"
            let body: [String: Any] = ["author": ["type": "business"], "content": ["type": "text", "text": "Once"]]
            let first = try await Self.post(api, path, body, key: "msg-1")
            #expect(first.status == 201)
            #expect(first.headers[Self.replayed] == nil)
            let retry = try await Self.post(api, path, body, key: "msg-1")
            #expect(retry.status == 201)
            #expect(retry.body == first.body)
            #expect(retry.headers[.contentType] == first.headers[.contentType])
            #expect(retry.headers[Self.replayed] == "true")
            #expect(try await Self.messageCount(api, appId: app, conversationId: conversation) == 1)

            // Another key, or none, is another message.
            #expect(try await Self.post(api, path, body, key: "msg-2").status == 201)
            #expect(try await api.post(path, body).status == 201)
            #expect(try await Self.messageCount(api, appId: app, conversationId: conversation) == 3)

            // The key is the app's: the same text in another app is another key.
            let otherApp = try await api.createApp()
            let otherConversation = try await api.createPersonalConversation(appId: otherApp, externalId: "u1")
            let other = try await Self.post(api, "/v2/apps/\(otherApp)/conversations/\(otherConversation)/messages", body, key: "msg-1")
            #expect(other.status == 201)
            #expect(other.headers[Self.replayed] == nil)

            // Kept 24 hours: after that, the key is new again.
            api.server.advance(by: 24 * 3600 + 1)
            let later = try await Self.post(api, path, body, key: "msg-1")
            #expect(later.status == 201)
            #expect(later.headers[Self.replayed] == nil)
            #expect(try await Self.messageCount(api, appId: app, conversationId: conversation) == 4)
        }
    }

    @Test("The same key with another body or path is 422; a malformed key 400; a failed request frees its key")
    func refusals() async throws {
        try await TestServer.run { api in
            let first = try await Self.post(api, "/v2/apps", ["displayName": "One"], key: "create-app")
            #expect(first.status == 201)
            let otherBody = try await Self.post(api, "/v2/apps", ["displayName": "Two"], key: "create-app")
            #expect(otherBody.status == 422)
            #expect(otherBody.errorCode == "idempotency_key_reused")
            let appId = try #require(first.object["app"]?["id"] as? String)
            let otherPath = try await Self.post(api, "/v2/apps/\(appId)/users", ["externalId": "x"], key: "create-app")
            // Another path names the app: another scope, so not a reuse.
            #expect(otherPath.status == 201)
            let otherQuery = try await Self.post(api, "/v2/apps?x=1", ["displayName": "One"], key: "create-app")
            #expect(otherQuery.errorCode == "idempotency_key_reused")
            #expect(try await api.get("/v2/apps").list("apps").count == 1)

            for bad in [String(repeating: "k", count: 256), "has space", "ünïcode"] {
                let refused = try await Self.post(api, "/v2/apps", ["displayName": "Bad"], key: bad)
                #expect(refused.status == 400, "\(bad)")
                #expect(refused.errorCode == "bad_request")
            }

            // A 400 wrote nothing and keeps nothing: the corrected request runs under the same key.
            let invalid = try await Self.post(api, "/v2/apps/\(appId)/users", ["externalId": 5], key: "user-1")
            #expect(invalid.status == 400)
            let corrected = try await Self.post(api, "/v2/apps/\(appId)/users", ["externalId": "u-1"], key: "user-1")
            #expect(corrected.status == 201)
            let again = try await Self.post(api, "/v2/apps/\(appId)/users", ["externalId": "u-1"], key: "user-1")
            #expect(again.status == 201)
            #expect(again.body == corrected.body)
        }
    }

    @Test("Concurrent duplicates write once: one 201, the rest replays of it or 409 while it runs")
    func concurrentDuplicates() async throws {
        try await TestServer.run { api in
            let app = try await api.createApp()
            let conversation = try await api.createPersonalConversation(appId: app, externalId: "u1")
            let path = "/v2/apps/\(app)/conversations/\(conversation)/messages"
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await Self.post(api, path, ["author": ["type": "business"], "content": ["type": "text", "text": "Raced"]], key: "race")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = answers.filter { $0.status == 201 }
            let fresh = created.filter { $0.headers[Self.replayed] == nil }
            #expect(fresh.count == 1)
            #expect(Set(created.map(\.body)).count == 1)
            #expect(answers.filter { $0.status != 201 }.allSatisfy { $0.status == 409 && $0.errorCode == "idempotency_key_in_use" })
            #expect(try await Self.messageCount(api, appId: app, conversationId: conversation) == 1)
        }
    }

    @Test("An upload's streamed body is fingerprinted too: the same file replays, another file is 422")
    func uploads() async throws {
        try await TestServer.run { api in
            let app = try await api.createApp()
            func upload(_ file: [UInt8]) async throws -> APIResponse {
                try await api.call(
                    .post, "/v2/apps/\(app)/attachments?access=public",
                    bytes: AttachmentsTests.multipart(file: file, fileName: "a.png", type: "image/png"),
                    contentType: "multipart/form-data; boundary=\(AttachmentsTests.boundary)", headers: ["Idempotency-Key": "upload-1"])
            }
            let file = Array(repeating: UInt8(7), count: 300_000)
            let first = try await upload(file)
            #expect(first.status == 201, "\(first.text)")
            let retry = try await upload(file)
            #expect(retry.status == 201)
            #expect(retry.body == first.body)
            #expect(retry.headers[Self.replayed] == "true")
            var other = file
            other[150_000] = 8
            #expect(try await upload(other).status == 422)
        }
    }
}

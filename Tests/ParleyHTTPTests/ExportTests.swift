import Foundation
import Testing

/// `GET /admin/apps/{appId}/export` on either engine (`BackupTests` runs `parley export`).
@Suite("Export")
struct ExportTests {
    static func lines(_ response: APIResponse) -> [[String: Any]] {
        response.text.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
    }

    /// A JSON value as sorted bytes, to compare documents whatever their key order.
    static func canonical(_ value: Any?) -> Data {
        (try? JSONSerialization.data(withJSONObject: value ?? [:], options: [.sortedKeys])) ?? Data()
    }

    @Test("An app's users, conversations and messages as JSON lines, as the API shows them, ending with a count; another app's key is refused")
    func export() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp("Exported")
            let conversation = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            _ = try await api.createUser(appId: appId, ["externalId": "jane"])
            for text in ["one", "two", "three"] { #expect(try await api.postText(appId: appId, conversationId: conversation, text).status == 201) }
            let otherApp = try await api.createApp("Other")
            _ = try await api.createPersonalConversation(appId: otherApp, externalId: "not-exported")

            let response = try await api.get("/admin/apps/\(appId)/export")
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = Self.lines(response)
            #expect(lines.map { $0["type"] as? String ?? "?" } == ["app", "user", "user", "conversation", "message", "message", "message", "end"])
            #expect((lines[0]["app"] as? [String: Any])?["displayName"] as? String == "Exported")
            #expect(lines[1...2].map { ($0["user"] as? [String: Any])?["externalId"] as? String } == ["steve", "jane"])
            // The same shapes as GetUser, GetConversation and ListMessages.
            let user = try await api.get("/v2/apps/\(appId)/users/steve")
            #expect(Self.canonical(lines[1]["user"]) == Self.canonical(user.object["user"]))
            let shown = try await api.get("/v2/apps/\(appId)/conversations/\(conversation)")
            #expect(Self.canonical(lines[3]["conversation"]) == Self.canonical(shown.object["conversation"]))
            let listed = try await api.get("/v2/apps/\(appId)/conversations/\(conversation)/messages").list("messages")
            #expect(lines[4...6].map { Self.canonical($0["message"]) } == listed.map { Self.canonical($0) })
            #expect(lines[4...6].allSatisfy { $0["conversationId"] as? String == conversation })
            #expect(lines[7]["lines"] as? Int == 7)

            // The app's own key may export it; another app's may not; no key, 401; an unknown app, 404.
            let appKey = try await api.createAppKey(appId: appId)
            #expect(try await api.as_(appKey).get("/admin/apps/\(appId)/export").status == 200)
            #expect(try await api.as_(appKey).get("/admin/apps/\(otherApp)/export").status == 403)
            #expect(try await api.call(.get, "/admin/apps/\(appId)/export", anonymous: true).status == 401)
            let unknown = try await api.get("/admin/apps/000000000000000000000000/export")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "app_not_found")
            #expect(try await api.get("/admin/apps/not-an-id/export").status == 404)
        }
    }
}

import Foundation
import Testing

@Suite("App keys")
struct AppKeysTests {
    @Test("CreateAppKey, ListAppKeys, GetAppKey and DeleteAppKey show id, displayName and secret")
    func lifecycle() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let created = try await api.post("/v2/apps/\(appId)/keys", ["displayName": "Key 1"])
            #expect(created.status == 201)
            let key = try #require(created.object["key"])
            let id = try #require(key["id"] as? String)
            let secret = try #require(key["secret"] as? String)
            #expect(id.range(of: "^app_[0-9a-f]{24}$", options: .regularExpression) != nil)
            #expect(secret.utf8.count >= 32)
            #expect(key["displayName"] as? String == "Key 1")

            let listed = try await api.get("/v2/apps/\(appId)/keys")
            #expect(listed.status == 200)
            #expect(listed.list("keys").map { $0["id"] as? String } == [id])
            #expect(listed.list("keys").first?["secret"] as? String == secret)

            let fetched = try await api.get("/v2/apps/\(appId)/keys/\(id)")
            #expect(fetched.object["key"]?["secret"] as? String == secret)

            #expect(try await api.delete("/v2/apps/\(appId)/keys/\(id)").status == 200)
            for response in [try await api.get("/v2/apps/\(appId)/keys/\(id)"), try await api.delete("/v2/apps/\(appId)/keys/\(id)")] {
                #expect(response.status == 404)
                #expect(response.errorCode == "not_found")
            }
            #expect(try await api.get("/v2/apps/\(appId)/keys").list("keys").isEmpty)
        }
    }

    @Test("A key of another app, the account key's id or garbage is 404 on an app's key routes")
    func foreignKeys() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let otherApp = try await api.createApp()
            let foreign = try await api.createAppKey(appId: otherApp)
            for keyId in [foreign.id, TestServer.accountKeyId, "nonsense"] {
                #expect(try await api.get("/v2/apps/\(appId)/keys/\(keyId)").status == 404)
                #expect(try await api.delete("/v2/apps/\(appId)/keys/\(keyId)").status == 404)
            }
            #expect(try await api.as_(foreign).get("/v2/apps/\(otherApp)").status == 200)
        }
    }

    @Test("displayName is required; at most 10 keys per app, even when created concurrently")
    func limits() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            #expect(try await api.post("/v2/apps/\(appId)/keys", [:]).status == 400)
            #expect(try await api.post("/v2/apps/\(appId)/keys", ["displayName": ""]).status == 400)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<14 {
                    group.addTask { try await api.post("/v2/apps/\(appId)/keys", ["displayName": "k\(index)"]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 10)
            #expect(statuses.filter { $0 == 400 }.count == 4)
            #expect(try await api.get("/v2/apps/\(appId)/keys").list("keys").count == 10)
        }
    }
}

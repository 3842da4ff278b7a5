import Foundation
import Testing

@Suite("Webhooks, integration keys and integration scope")
struct WebhooksTests {
    static var hook: [String: Any] { ["target": "https://example.com/hook", "triggers": ["conversation:message"]] }

    func customIntegration(_ api: APIClient, appId: String) async throws -> String {
        let response = try await api.post("/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [Self.hook]])
        guard let id = response.object["integration"]?["id"] as? String else { throw FixtureError(response.text) }
        return id
    }

    @Test("CreateWebhook, ListWebhooks, GetWebhook, UpdateWebhook, DeleteWebhook")
    func lifecycle() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let integrationId = try await customIntegration(api, appId: appId)
            let base = "/v2/apps/\(appId)/integrations/\(integrationId)/webhooks"
            let created = try await api.post(base, ["target": "https://example.com/second", "triggers": ["user:remove", "client:add"], "includeFullSource": true])
            #expect(created.status == 201)
            let webhook = try #require(created.object["webhook"])
            let id = try #require(webhook["id"] as? String)
            #expect(webhook["version"] as? String == "v2")
            #expect(webhook["includeFullSource"] as? Bool == true)
            #expect((webhook["secret"] as? String)?.count == 32)

            #expect(try await api.get(base).list("webhooks").count == 2)
            #expect(try await api.get("\(base)/\(id)").object["webhook"]?["secret"] as? String == webhook["secret"] as? String)

            let updated = try await api.patch("\(base)/\(id)", ["triggers": ["conversation:read"]])
            #expect(updated.status == 200)
            #expect(updated.object["webhook"]?["triggers"] as? [String] == ["conversation:read"])
            #expect(updated.object["webhook"]?["target"] as? String == "https://example.com/second")
            #expect(updated.object["webhook"]?["secret"] as? String == webhook["secret"] as? String)
            for body in [["triggers": ["nope"]], ["target": "not a url"], ["includeFullUser": NSNull()]] as [[String: Any]] {
                #expect(try await api.patch("\(base)/\(id)", body).status == 400, "\(body)")
            }

            #expect(try await api.delete("\(base)/\(id)").status == 200)
            for response in [try await api.get("\(base)/\(id)"), try await api.delete("\(base)/\(id)"), try await api.patch("\(base)/\(id)", ["triggers": ["user:remove"]])] {
                #expect(response.status == 404)
                #expect(response.errorCode == "not_found")
            }
        }
    }

    @Test("Webhooks: custom integrations only, validated on create, at most 10 per app")
    func rules() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let integrationId = try await customIntegration(api, appId: appId)
            let web = try #require(try await api.post("/v2/apps/\(appId)/integrations", ["type": "web"]).object["integration"]?["id"] as? String)
            #expect(try await api.post("/v2/apps/\(appId)/integrations/\(web)/webhooks", Self.hook).status == 400)
            let base = "/v2/apps/\(appId)/integrations/\(integrationId)/webhooks"
            #expect(try await api.post(base, ["target": "https://e.com"]).errorTitle.contains("triggers"))
            // The spec allows an empty trigger list (a webhook that receives nothing yet).
            let empty = try await api.post(base, ["target": "https://e.com", "triggers": [String]()])
            #expect(empty.status == 201)
            #expect(try await api.delete("\(base)/\(empty.object["webhook"]?["id"] as? String ?? "")").status == 200)
            #expect(try await api.post(base, ["triggers": ["user:remove"]]).errorTitle.contains("target"))
            for _ in 0..<9 { #expect(try await api.post(base, Self.hook).status == 201) }
            let eleventh = try await api.post(base, Self.hook)
            #expect(eleventh.status == 400)
            #expect(eleventh.errorTitle.contains("10 webhooks"))
            // A custom integration's inline webhook counts too.
            let viaIntegration = try await api.post("/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [Self.hook]])
            #expect(viaIntegration.status == 400)
            #expect(viaIntegration.errorTitle.contains("10 webhooks"))
            let other = try await customIntegration(api, appId: try await api.createApp())
            #expect(!other.isEmpty)
            #expect(try await api.get("/v2/apps/\(appId)/integrations/ffffffffffffffffffffffff/webhooks").errorCode == "integration_not_found")
        }
    }

    @Test("Custom integration keys: create, list, get, delete; only for custom integrations, 10 at most")
    func integrationKeys() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let integrationId = try await customIntegration(api, appId: appId)
            let base = "/v2/apps/\(appId)/integrations/\(integrationId)/keys"
            let created = try await api.post(base, ["displayName": "Bot key"])
            #expect(created.status == 201)
            let id = try #require(created.object["key"]?["id"] as? String)
            #expect(id.range(of: "^int_[0-9a-f]{24}$", options: .regularExpression) != nil)
            #expect(try await api.get(base).list("keys").map { $0["id"] as? String } == [id])
            #expect(try await api.get("\(base)/\(id)").object["key"]?["secret"] as? String == created.object["key"]?["secret"] as? String)
            #expect(try await api.delete("\(base)/\(id)").status == 200)
            #expect(try await api.get("\(base)/\(id)").status == 404)

            let web = try #require(try await api.post("/v2/apps/\(appId)/integrations", ["type": "web"]).object["integration"]?["id"] as? String)
            let refused = try await api.post("/v2/apps/\(appId)/integrations/\(web)/keys", ["displayName": "x"])
            #expect(refused.status == 400)
            #expect(refused.errorTitle.contains("only for custom integrations"))
            for index in 0..<10 { #expect(try await api.post(base, ["displayName": "k\(index)"]).status == 201) }
            #expect(try await api.post(base, ["displayName": "k11"]).status == 400)
        }
    }

    @Test("An int_ key reaches users, conversations and its own webhooks, by Basic and JWT, and nothing else")
    func integrationScope() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let integrationId = try await customIntegration(api, appId: appId)
            let otherIntegration = try await customIntegration(api, appId: appId)
            let created = try await api.post("/v2/apps/\(appId)/integrations/\(integrationId)/keys", ["displayName": "Bot"])
            let key = Credentials(id: created.object["key"]!["id"] as! String, secret: created.object["key"]!["secret"] as! String)
            let bot = api.as_(key)

            #expect(try await bot.createUser(appId: appId, ["externalId": "via-integration"])["id"] != nil)
            let conversationId = try await bot.createPersonalConversation(appId: appId, externalId: "int-user")
            #expect(try await bot.postText(appId: appId, conversationId: conversationId, "from the bot").status == 201)
            #expect(try await bot.get("/v2/apps/\(appId)/integrations/\(integrationId)/webhooks").status == 200)
            let token = try await Tokens.sign(kid: key.id, secret: key.secret, scope: "integration")
            #expect(try await bot.call(.get, "/v2/apps/\(appId)/users/via-integration", authorization: "Bearer \(token)").status == 200)
            let wrongScope = try await Tokens.sign(kid: key.id, secret: key.secret, scope: "app")
            #expect(try await bot.call(.get, "/v2/apps/\(appId)/users/via-integration", authorization: "Bearer \(wrongScope)").status == 401)

            for path in [
                "/v2/apps/\(appId)", "/v2/apps/\(appId)/integrations", "/v2/apps/\(appId)/integrations/\(integrationId)/keys",
                "/v2/apps/\(appId)/integrations/\(otherIntegration)/webhooks", "/v2/apps/\(try await api.createApp())/users/x",
            ] {
                let response = try await bot.get(path)
                #expect(response.status == 403, "\(path)")
                #expect(response.errorCode == "forbidden")
            }

            #expect(try await api.delete("/v2/apps/\(appId)/integrations/\(integrationId)").status == 200)
            #expect(try await bot.get("/v2/apps/\(appId)/users/via-integration").status == 401)
        }
    }

    @Test("Webhook secrets are stored sealed: shown to their owner and still the same after a restart, never in the database's bytes")
    func sealedSecrets() async throws {
        let path = TestServer.temporaryDatabasePath()
        let box = IDBox()
        try await TestServer.run(databasePath: path) { api in
            let appId = try await api.createApp()
            let created = try await api.post("/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [Self.hook]])
            let integration = try #require(created.object["integration"])
            let integrationId = try #require(integration["id"] as? String)
            let inline = try #require((integration["webhooks"] as? [[String: Any]])?.first?["secret"] as? String)
            let second = try await api.post("/v2/apps/\(appId)/integrations/\(integrationId)/webhooks", Self.hook)
            let secret = try #require(second.object["webhook"]?["secret"] as? String)
            #expect(inline.count == 32 && secret.count == 32 && inline != secret)
            await box.set(appId, Credentials(id: integrationId, secret: inline + " " + secret))
        }
        let (appId, stored) = await box.get()
        try await TestServer.run(databasePath: path) { api in
            let listed = try await api.get("/v2/apps/\(appId)/integrations/\(stored.id)/webhooks").list("webhooks")
            #expect(listed.compactMap { $0["secret"] as? String }.joined(separator: " ") == stored.secret)
            let integration = try await api.get("/v2/apps/\(appId)/integrations/\(stored.id)").object["integration"]
            #expect((integration?["webhooks"] as? [[String: Any]])?.first?["secret"] as? String == stored.secret.split(separator: " ").first.map(String.init))
        }
        guard !path.hasPrefix("postgres") else { return }
        let raw = try String(contentsOfFile: path, encoding: .isoLatin1) + ((try? String(contentsOfFile: path + "-wal", encoding: .isoLatin1)) ?? "")
        for secret in stored.secret.split(separator: " ") {
            #expect(!raw.contains(secret), "a webhook secret is stored in the clear")
        }
    }
}

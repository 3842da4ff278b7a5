import Foundation
import ParleyDomain
import ParleyServer
import Testing

@Suite("Integrations")
struct IntegrationsTests {
    /// A minimal valid create body per type, and the credentials it carries (which no response may show).
    static let minimal: [(String, String, [String])] = [
        ("android", #"{"type": "android", "projectId": "p", "clientEmail": "e@x.io", "privateKey": "k"}"#, ["projectId", "clientEmail", "privateKey"]),
        ("apple", #"{"type": "apple", "businessId": "b", "apiSecret": "s3cret", "mspId": "m"}"#, ["apiSecret"]),
        ("custom", #"{"type": "custom", "webhooks": [{"target": "https://example.com/hook", "triggers": ["conversation:message"]}]}"#, []),
        ("instagram", #"{"type": "instagram", "pageAccessToken": "tok", "appId": "a", "appSecret": "s3cret"}"#, ["pageAccessToken", "appSecret"]),
        ("ios", #"{"type": "ios", "certificate": "cert", "password": "pw"}"#, ["certificate", "password"]),
        ("line", #"{"type": "line", "channelId": "c", "channelSecret": "s3cret", "channelAccessToken": "tok"}"#, ["channelSecret", "channelAccessToken"]),
        ("mailgun", #"{"type": "mailgun", "apiKey": "key-123", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com"}"#, ["apiKey"]),
        ("messagebird", #"{"type": "messagebird", "accessKey": "ak", "signingKey": "sk", "originator": "+15145550000"}"#, ["accessKey", "signingKey"]),
        ("messenger", #"{"type": "messenger", "pageAccessToken": "tok", "appId": "a", "appSecret": "s3cret"}"#, ["pageAccessToken", "appSecret"]),
        ("telegram", #"{"type": "telegram", "token": "tok"}"#, ["token"]),
        ("twilio", #"{"type": "twilio", "accountSid": "AC1", "authToken": "tok", "phoneNumberSid": "PN1"}"#, ["authToken"]),
        ("twitter", #"{"type": "twitter", "tier": "enterprise", "consumerKey": "ck", "consumerSecret": "cs", "accessTokenKey": "ak", "accessTokenSecret": "as"}"#, ["consumerKey", "consumerSecret", "accessTokenKey", "accessTokenSecret"]),
        ("unity", #"{"type": "unity"}"#, []),
        ("viber", #"{"type": "viber", "token": "tok"}"#, ["token"]),
        ("web", #"{"type": "web"}"#, []),
        ("whatsapp", #"{"type": "whatsapp", "accountManagementAccessToken": "tok"}"#, ["accountManagementAccessToken"]),
    ]

    @Test("Every type is created with its required fields; credentials never come back", arguments: minimal.map { $0.0 })
    func create(type: String) async throws {
        let (_, body, secrets) = try #require(Self.minimal.first { $0.0 == type })
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let created = try await api.call(.post, "/v2/apps/\(appId)/integrations", body: body)
            #expect(created.status == 201, "\(created.text)")
            let integration = try #require(created.object["integration"])
            let id = try #require(integration["id"] as? String)
            #expect(integration["type"] as? String == type)
            #expect(integration["status"] as? String == "active")
            let fetched = try await api.get("/v2/apps/\(appId)/integrations/\(id)")
            let listed = try await api.get("/v2/apps/\(appId)/integrations")
            for response in [created, fetched, listed] {
                for secret in secrets { #expect(!response.text.contains("\"\(secret)\""), "\(secret) leaked in \(response.text)") }
                #expect(!response.text.contains("s3cret") && !response.text.contains("tok\""))
            }
            #expect(fetched.object["integration"]?["id"] as? String == id)
        }
    }

    @Test("Each required field is required", arguments: minimal.flatMap { type, body, _ in
        IntegrationsTests.requiredFields[type, default: []].map { (body, $0) }
    })
    func required(body: String, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            var object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            object[field] = nil
            let response = try await api.post("/v2/apps/\(appId)/integrations", object)
            #expect(response.status == 400)
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    static let requiredFields: [String: [String]] = [
        "apple": ["businessId", "apiSecret", "mspId"], "custom": ["webhooks"], "instagram": ["pageAccessToken", "appId", "appSecret"],
        "mailgun": ["apiKey", "domain", "incomingAddress"], "messagebird": ["accessKey", "signingKey", "originator"],
        "messenger": ["pageAccessToken", "appId", "appSecret"], "telegram": ["token"], "twilio": ["accountSid", "authToken"],
        "twitter": ["tier", "consumerKey", "consumerSecret", "accessTokenKey", "accessTokenSecret"], "viber": ["token"],
    ]

    @Test("Type and field rules: unknown type, server-set fields, twilio's sids, web colours, custom webhooks", arguments: [
        (#"{"type": "carrier-pigeon"}"#, "Invalid integration type"),
        (#"{"displayName": "x"}"#, "type"),
        (#"{"type": "telegram", "token": "t", "username": "bot"}"#, "username"),
        (#"{"type": "messagebird", "accessKey": "a", "signingKey": "s", "originator": "o", "webhookSecret": "mine"}"#, "webhookSecret is set by the server"),
        (#"{"type": "twilio", "accountSid": "AC1", "authToken": "t"}"#, "phoneNumberSid"),
        (#"{"type": "web", "brandColor": "blue"}"#, "brandColor"),
        (#"{"type": "web", "displayStyle": "popup"}"#, "displayStyle"),
        (#"{"type": "web", "originWhitelist": [1]}"#, "originWhitelist"),
        (#"{"type": "twitter", "tier": "premium", "consumerKey": "a", "consumerSecret": "b", "accessTokenKey": "c", "accessTokenSecret": "d"}"#, "tier"),
        (#"{"type": "apple", "businessId": "b", "apiSecret": "s", "mspId": "m", "authenticationMessageSecret": "short"}"#, "authenticationMessageSecret"),
        (#"{"type": "custom", "webhooks": []}"#, "webhooks"),
        (#"{"type": "custom", "webhooks": [{"target": "https://e.com", "triggers": ["a"]}, {"target": "https://e.com", "triggers": ["b"]}]}"#, "webhooks"),
        (#"{"type": "custom", "webhooks": [{"target": "ftp://e.com", "triggers": ["conversation:message"]}]}"#, "webhooks[0].target"),
        (#"{"type": "custom", "webhooks": [{"target": "https://e.com", "triggers": ["conversation:Message"]}]}"#, "webhooks[0].triggers[0]"),
        (#"{"type": "custom", "webhooks": [{"target": "https://e.com"}]}"#, "webhooks[0].triggers"),
        (#"{"type": "unity", "displayName": "\#(String(repeating: "x", count: 101))"}"#, "displayName"),
        (#"{"type": "unity", "showAIDisclaimer": "yes"}"#, "showAIDisclaimer"),
        (#"{"type": "web", "prechatCapture": {"fields": [{"type": "email", "name": "e"}]}}"#, "prechatCapture.fields[0].label"),
        (#"{"type": "web", "prechatCapture": {"enabled": "yes"}}"#, "prechatCapture.enabled"),
        (#"{"type": "web", "prechatCapture": []}"#, "prechatCapture"),
    ])
    func rules(body: String, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let response = try await api.call(.post, "/v2/apps/\(appId)/integrations", body: body)
            #expect(response.status == 400, "\(response.text)")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    @Test("Defaults: web colours and layout, whatsapp language, instagram stories, showAIDisclaimer; custom webhook shape")
    func defaults() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let web = try #require(try await api.post("/v2/apps/\(appId)/integrations", ["type": "web"]).object["integration"])
            #expect(web["brandColor"] as? String == "65758e")
            #expect(web["conversationColor"] as? String == "0099ff")
            #expect(web["displayStyle"] as? String == "button")
            #expect(web["buttonWidth"] as? String == "58")
            #expect(web["showAIDisclaimer"] as? Bool == true)
            let whatsapp = try await api.post("/v2/apps/\(appId)/integrations", ["type": "whatsapp", "defaultResponderId": ""]).object["integration"]
            #expect(whatsapp?["hsmFallbackLanguage"] as? String == "en_US")
            let custom = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "custom", "displayName": "Bot", "webhooks": [["target": "https://example.com/h", "triggers": ["conversation:message", "user:remove"], "includeFullUser": true]]])
            let webhook = try #require((custom.object["integration"]?["webhooks"] as? [[String: Any]])?.first)
            #expect((webhook["id"] as? String)?.count == 24)
            #expect(webhook["version"] as? String == "v2")
            #expect((webhook["secret"] as? String)?.range(of: "^[0-9a-f]{32}$", options: .regularExpression) != nil)
            #expect(webhook["includeFullUser"] as? Bool == true)
            #expect(webhook["includeFullSource"] as? Bool == false)
            #expect(custom.object["integration"]?["showAIDisclaimer"] == nil)
            let messagebird = try await api.post(
                "/v2/apps/\(appId)/integrations", ["type": "messagebird", "accessKey": "a", "signingKey": "s", "originator": "o"])
            #expect((messagebird.object["integration"]?["webhookSecret"] as? String)?.count == 32)
        }
    }

    @Test("UpdateIntegration changes what the type's update schema lists, and refuses the rest")
    func update() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "mailgun", "apiKey": "key-1", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com", "fromAddress": "a@x.io"])
            let id = try #require(created.object["integration"]?["id"] as? String)
            let path = "/v2/apps/\(appId)/integrations/\(id)"
            let updated = try await api.patch(path, ["displayName": "Mail", "hideUnsubscribeLink": true, "fromAddress": NSNull()])
            #expect(updated.status == 200, "\(updated.text)")
            let integration = try #require(updated.object["integration"])
            #expect(integration["displayName"] as? String == "Mail")
            #expect(integration["hideUnsubscribeLink"] as? Bool == true)
            #expect(integration["fromAddress"] == nil)
            #expect(integration["domain"] as? String == "mg.example.com")
            for body in [["domain": "other.example.com"], ["apiKey": "key-2"], ["type": "web"], ["displayName": ""], ["hideUnsubscribeLink": "no"]] as [[String: Any]] {
                let refused = try await api.patch(path, body)
                #expect(refused.status == 400, "\(body)")
            }
            #expect(try await api.get(path).object["integration"]?["domain"] as? String == "mg.example.com")
        }
    }

    @Test("Secret updates are kept sealed and readable only by the server")
    func secrets() async throws {
        let path = TestServer.temporaryDatabasePath()
        let ids = IDBox()
        try await TestServer.run(databasePath: path) { api in
            let appId = try await api.createApp()
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations", ["type": "instagram", "pageAccessToken": "first", "appId": "a", "appSecret": "app-secret"])
            let id = try #require(created.object["integration"]?["id"] as? String)
            #expect(try await api.patch("/v2/apps/\(appId)/integrations/\(id)", ["pageAccessToken": "second"]).status == 200)
            await ids.set(appId, Credentials(id: id, secret: ""))
        }
        let (appId, integration) = await ids.get()
        let secrets = try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in
            try services.integrations.secrets(of: try await services.integrations.get(appId: ResourceID(appId)!, id: integration.id))
        }
        #expect(secrets == ["pageAccessToken": "second", "appSecret": "app-secret"])
        // The raw-bytes check reads SQLite's files; on PostgreSQL the same store code seals the same way.
        guard !path.hasPrefix("postgres") else { return }
        let raw = try String(contentsOfFile: path, encoding: .isoLatin1) + ((try? String(contentsOfFile: path + "-wal", encoding: .isoLatin1)) ?? "")
        #expect(!raw.contains("app-secret"), "a credential is stored in the clear")
    }

    @Test("ListIntegrations filters by type and pages; Get, Update and Delete answer 404 integration_not_found")
    func listAndDelete() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            var ids: [String] = []
            for type in ["web", "unity", "web", "telegram"] {
                var body: [String: Any] = ["type": type]
                if type == "telegram" { body["token"] = "t" }
                ids.append(try #require(try await api.post("/v2/apps/\(appId)/integrations", body).object["integration"]?["id"] as? String))
            }
            let webOnly = try await api.get("/v2/apps/\(appId)/integrations?filter[types]=web")
            #expect(webOnly.list("integrations").compactMap { $0["id"] as? String } == [ids[0], ids[2]])
            let two = try await api.get("/v2/apps/\(appId)/integrations?filter%5Btypes%5D=unity,telegram")
            #expect(two.list("integrations").count == 2)
            let paged = try await api.get("/v2/apps/\(appId)/integrations?page[size]=3")
            #expect(paged.list("integrations").count == 3)
            #expect(paged.object["meta"]?["hasMore"] as? Bool == true)

            #expect(try await api.delete("/v2/apps/\(appId)/integrations/\(ids[1])").status == 200)
            for response in [
                try await api.get("/v2/apps/\(appId)/integrations/\(ids[1])"),
                try await api.patch("/v2/apps/\(appId)/integrations/\(ids[1])", ["displayName": "x"]),
                try await api.delete("/v2/apps/\(appId)/integrations/\(ids[1])"),
                try await api.get("/v2/apps/\(appId)/integrations/nope"),
            ] {
                #expect(response.status == 404)
                #expect(response.errorCode == "integration_not_found")
            }
        }
    }
}

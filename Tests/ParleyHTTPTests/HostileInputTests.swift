import Foundation
import Testing

/// What an attacker holding one ordinary app key can send: every answer is a 4xx in the API's
/// envelope, and the server goes on serving (a trap would end the test process).
@Suite("Hostile input")
struct HostileInputTests {
    /// Arabic-Indic, Devanagari, fullwidth and mathematical digits: a pattern's `\d` takes them,
    /// integer conversion does not. One such `signedUpAt` used to stop the server.
    static let foreignDigitDatetimes = [
        "\u{662}\u{660}\u{662}\u{660}-\u{660}\u{665}-\u{662}\u{661}T15:53:30.197Z",
        "2020-\u{966}\u{965}-21T15:53:30.197Z",
        "\u{FF12}\u{FF10}\u{FF12}\u{FF10}-05-21T15:53:30Z",
        "2020-05-21T15:53:30.\u{FF11}\u{FF19}\u{FF17}Z",
        "2020-05-21T15:53:30+\u{6F0}\u{6F2}:00",
        "2020-05-21T15:53:\u{1D7D8}\u{1D7D8}Z",
    ]

    @Test("signedUpAt written with non-ASCII digits is 400 on CreateUser and UpdateUser, and the server keeps serving")
    func foreignDigitsInSignedUpAt() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "steve"])
            for datetime in Self.foreignDigitDatetimes {
                let created = try await api.post("/v2/apps/\(appId)/users", ["externalId": "x", "signedUpAt": datetime])
                #expect(created.status == 400, "\(datetime)")
                #expect(created.errorTitle.contains("signedUpAt"), "\(created.text)")
                let updated = try await api.patch("/v2/apps/\(appId)/users/steve", ["signedUpAt": datetime])
                #expect(updated.status == 400, "\(datetime)")
            }
            #expect(try await api.get("/v2/apps/\(appId)/users/steve").status == 200)
        }
    }

    @Test("The redeliver extension's since written with non-ASCII digits is 400")
    func foreignDigitsInSince() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "custom", "webhooks": [["target": "https://example.com/hook", "triggers": ["conversation:message"]]]])
            let integration = try #require(created.object["integration"])
            let integrationId = try #require(integration["id"] as? String)
            let webhookId = try #require((integration["webhooks"] as? [[String: Any]])?.first?["id"] as? String)
            for datetime in Self.foreignDigitDatetimes {
                let response = try await api.post(
                    "/v2/apps/\(appId)/integrations/\(integrationId)/webhooks/\(webhookId)/redeliver", ["since": datetime])
                #expect(response.status == 400, "\(datetime)")
                #expect(response.errorTitle.contains("since"), "\(response.text)")
            }
        }
    }

    @Test("PostMessage's destination.integrationId must name an integration of the app: another app's or an unknown one is 400")
    func destinationIntegrationOfTheApp() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let otherAppId = try await api.createApp("Other")
            let body: [String: Any] = ["type": "mailgun", "apiKey": "key-1", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com"]
            let own = try #require(try await api.post("/v2/apps/\(appId)/integrations", body).object["integration"]?["id"] as? String)
            let foreign = try #require(try await api.post("/v2/apps/\(otherAppId)/integrations", body).object["integration"]?["id"] as? String)
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            func post(_ integrationId: String) async throws -> APIResponse {
                try await api.post(
                    "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                    ["author": ["type": "business"], "content": ["type": "text", "text": "hi"], "destination": ["integrationId": integrationId]])
            }
            for integrationId in [foreign, "0123456789abcdef01234567"] {
                let refused = try await post(integrationId)
                #expect(refused.status == 400, "\(refused.text)")
                #expect(refused.errorTitle == "destination.integrationId must be an integration of this app")
            }
            #expect(try await post(own).status == 201)
            #expect(try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages").list("messages").count == 1)
        }
    }

    @Test("A 400's title names the real problem: a number out of range is not \"must be an array\"")
    func numberOutOfRange() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            let cases: [(String, String, String, String)] = [
                ("POST", "/v2/apps/\(appId)/users", #"{"externalId": "x", "metadata": {"n": 1e400}}"#, "metadata.n is a number out of range"),
                ("PATCH", "/v2/apps/\(appId)/users/steve", #"{"metadata": {"n": -1e400}}"#, "metadata.n is a number out of range"),
                ("PATCH", "/v2/apps/\(appId)/conversations/\(conversationId)", #"{"metadata": {"n": 1e999}}"#, "metadata.n is a number out of range"),
                ("POST", "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                 #"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "metadata": {"n": 1e400}}"#,
                 "metadata.n is a number out of range"),
                ("PATCH", "/v2/apps/\(appId)", #"{"metadata": {"a": [1, 2, 1e400]}}"#, "metadata.a[2] is a number out of range"),
                ("PATCH", "/v2/apps/\(appId)/users/steve", #"{"metadata": {"s": "\ud800"}}"#, "not valid JSON"),
            ]
            for (method, path, body, title) in cases {
                let response = try await api.call(method == "POST" ? .post : .patch, path, body: body)
                #expect(response.status == 400, "\(path) \(body): \(response.text)")
                #expect(response.errorTitle.contains(title), "\(path) \(body): \(response.text)")
                #expect(!response.errorTitle.contains("array"), "\(response.text)")
            }
        }
    }

    /// Found by the fuzz gate in the Markdown library used before: the first input stopped the
    /// server (a string index out of bounds), the second held a core for hours (exponential time).
    /// The limit catches that, with room for a whole suite of servers sharing two cores (one
    /// minute was once exceeded by waiting for the database alone).
    @Test("markdownText that stopped or stalled the server is rendered", .timeLimit(.minutes(3)))
    func hostileMarkdown() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            for markdown in ["- a\n ", String(repeating: "![", count: 40) + "x"] {
                let response = try await api.post(
                    "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                    ["author": ["type": "business"], "content": ["type": "text", "markdownText": markdown]])
                #expect(response.status == 201, "\(response.text)")
            }
            let html = try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages").list("messages").first?["content"]
            #expect((html as? [String: Any])?["htmlText"] as? String == "<ul><li>a</li></ul>")
        }
    }
}

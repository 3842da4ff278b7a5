import Foundation
@testable import ParleyHTTP
import ParleyDomain
import Testing

/// What an integration (`int_`) key may do. The spec's introduction gives the integration scope
/// "Users, Conversations, Attachments, and Webhooks", and every operation lists the scopes it
/// takes; Parley follows both (docs/DECISIONS.md, "An integration key's reach").
@Suite("Integration key reach")
struct IntegrationScopeTests {
    /// `<repo>/../shared/spec/openapi.yaml`, or `PARLEY_SPEC`.
    static var specPath: String {
        if let path = ProcessInfo.processInfo.environment["PARLEY_SPEC"] { return path }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/spec/openapi.yaml").path
    }

    /// Each operation's `basicAuth` scopes, read from the spec's `security` blocks line by line
    /// (the layout is regular: `operationId:`, then `security:` with `- basicAuth:` and `- scope` items).
    static func specScopes() throws -> [String: Set<String>] {
        let lines = try String(contentsOfFile: specPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var scopes: [String: Set<String>] = [:]
        var operation: String?
        var inBasic = false
        for line in lines {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("operationId: ") {
                operation = String(text.dropFirst("operationId: ".count))
                scopes[operation!] = []
                inBasic = false
            } else if text == "- basicAuth:" {
                inBasic = operation != nil
            } else if inBasic, text.hasPrefix("- "), !text.hasSuffix(":"), let operation {
                scopes[operation, default: []].insert(String(text.dropFirst(2)))
            } else if inBasic {
                inBasic = false
            }
        }
        return scopes
    }

    @Test("Every operation takes exactly the key scopes the spec lists for it; webhook routes also take account keys, as decided")
    func scopeTable() throws {
        let spec = try Self.specScopes()
        #expect(spec.count >= 68, "read \(spec.count) operations from \(Self.specPath)")
        let webhooks: Set<String> = ["CreateWebhook", "ListWebhooks", "GetWebhook", "UpdateWebhook", "DeleteWebhook"]
        // They describe or revoke the credential in use, whatever it is (docs/DECISIONS.md "OAuth").
        let aboutTheCredential: Set<String> = ["GetTokenInfo", "RevokeAccess"]
        for operation in Operation.all {
            var listed = try #require(spec[operation.id], "\(operation.id) is not in the spec")
            if webhooks.contains(operation.id) { listed.insert("account") }
            if aboutTheCredential.contains(operation.id) { listed = ["account", "app", "integration"] }
            #expect(Set(operation.scopes.map(\.rawValue)) == listed, "\(operation.id)")
        }
        // Integration keys: users, conversations, attachments, webhooks, and nothing that configures the app.
        for operation in Operation.all where operation.scopes.contains(.integration) {
            #expect(
                ["/users", "/conversations", "/attachments", "/webhooks"].contains { operation.path.contains($0) } || aboutTheCredential.contains(operation.id),
                "\(operation.id) \(operation.path)")
        }
    }

    @Test("An int_ key links clients through any channel integration of its app and deletes users and conversations app-wide; never another app's")
    func reach() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let custom = try await api.post(
                "/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [["target": "https://example.com/hook", "triggers": []]]])
            let customId = try #require(custom.object["integration"]?["id"] as? String)
            let mailgun = try await api.post(
                "/v2/apps/\(appId)/integrations", ["type": "mailgun", "apiKey": "key-1", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com"])
            let mailgunId = try #require(mailgun.object["integration"]?["id"] as? String)
            let created = try await api.post("/v2/apps/\(appId)/integrations/\(customId)/keys", ["displayName": "Bot"])
            let key = try #require(created.object["key"])
            let bot = api.as_(Credentials(id: try #require(key["id"] as? String), secret: try #require(key["secret"] as? String)))

            // Users and their channel links: the channel is another integration of the app (an
            // int_ key belongs to a custom integration, which is never a channel).
            let conversationId = try await bot.createPersonalConversation(appId: appId, externalId: "steve")
            let client = try await bot.post("/v2/apps/\(appId)/users/steve/clients", [
                "matchCriteria": ["type": "mailgun", "integrationId": mailgunId, "address": "steve@example.com"],
                "confirmation": ["type": "immediate"], "target": ["conversationId": conversationId],
            ])
            #expect(client.status == 201, "\(client.text)")
            #expect(try await bot.delete("/v2/apps/\(appId)/conversations/\(conversationId)").status == 400)  // the default conversation
            let group = try await api.post("/v2/apps/\(appId)/conversations", ["type": "sdkGroup"])
            let groupId = try #require(group.object["conversation"]?["id"] as? String)
            #expect(try await bot.delete("/v2/apps/\(appId)/conversations/\(groupId)").status == 200)
            _ = try await api.createUser(appId: appId, ["externalId": "made-by-the-app"])
            #expect(try await bot.delete("/v2/apps/\(appId)/users/made-by-the-app").status == 200)

            // Nothing of another app, and nothing that configures this one.
            let otherAppId = try await api.createApp("Other")
            _ = try await api.createUser(appId: otherAppId, ["externalId": "stranger"])
            for (method, path) in [
                ("DELETE", "/v2/apps/\(otherAppId)/users/stranger"), ("GET", "/v2/apps/\(otherAppId)/users/stranger"),
                ("DELETE", "/v2/apps/\(appId)/integrations/\(mailgunId)"), ("GET", "/v2/apps/\(appId)/integrations/\(mailgunId)"),
                ("PATCH", "/v2/apps/\(appId)"), ("GET", "/v2/apps/\(appId)/keys"), ("GET", "/v2/apps/\(appId)/switchboards"),
                ("POST", "/v2/apps/\(appId)/integrations/\(customId)/keys"),
            ] {
                let response = try await bot.call(method == "GET" ? .get : method == "DELETE" ? .delete : method == "PATCH" ? .patch : .post, path, json: method == "GET" || method == "DELETE" ? nil : ["displayName": "x"])
                #expect(response.status == 403 && response.errorCode == "forbidden", "\(method) \(path): \(response.text)")
            }
            #expect(try await api.get("/v2/apps/\(otherAppId)/users/stranger").status == 200)
        }
    }
}

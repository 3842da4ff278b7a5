import Foundation
import ParleyTestSupport
import Testing

/// `parley apps|keys|users|conversations|messages|webhooks|oauth-clients …` against a running
/// server, as an operator types them: real processes, `--json` read back, tables for people.
@Suite("Administration commands")
struct AdminCommandTests {
    static let key = ("act_00000000000000000000ad01", "admin-commands-account-secret-0123456789")

    struct Outcome {
        let status: Int32
        let text: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
    }

    static func parley(_ arguments: [String], url: URL, environment: [String: String] = [:]) async throws -> Outcome {
        let process = try ServerProcess(
            arguments + ["--url", url.absoluteString],
            environment: ["PARLEY_ACCOUNT_KEY_ID": key.0, "PARLEY_ACCOUNT_KEY_SECRET": key.1].merging(environment) { $1 })
        let status = try await process.waitForExit(timeout: .seconds(60)).status
        return Outcome(status: status, text: process.text)
    }

    @Test("An app, its key, a user, a conversation, a message, a webhook and an OAuth client, without curl")
    func everydayAdministration() async throws {
        let database = ServeCommandTests.temporaryDatabase()
        let (server, base) = try await ServerProcess.serve(
            database: database, environment: ["PARLEY_ACCOUNT_KEY_ID": Self.key.0, "PARLEY_ACCOUNT_KEY_SECRET": Self.key.1])
        defer { server.signal(SIGKILL) }

        let app = try await Self.parley(["apps", "create", "Channel 5", "--json"], url: base)
        #expect(app.status == 0, "\(app.text)")
        let appId = try #require(app.object["id"] as? String)
        #expect(app.object["displayName"] as? String == "Channel 5")
        // People get a table.
        let table = try await Self.parley(["apps", "list"], url: base)
        #expect(table.text.hasPrefix("ID") && table.text.contains("\(appId)  Channel 5"), "\(table.text)")
        #expect(try await Self.parley(["apps", "update", appId, "--name", "Channel Five", "--json"], url: base).object["displayName"] as? String == "Channel Five")

        let key = try await Self.parley(["keys", "create", "--app", appId, "--name", "Backend", "--json"], url: base)
        let keyId = try #require(key.object["id"] as? String)
        let secret = try #require(key.object["secret"] as? String)
        #expect(keyId.hasPrefix("app_"))
        #expect(try await Self.parley(["keys", "list", "--app", appId, "--json"], url: base).list.map { $0["id"] as? String } == [keyId])

        // The app's own key, from the environment, for the app's contents.
        let appKey = ["PARLEY_KEY_ID": keyId, "PARLEY_KEY_SECRET": secret]
        let user = try await Self.parley(
            ["users", "create", "--app", appId, "--external-id", "steve", "--given-name", "Steve", "--email", "steve@example.com", "--json"], url: base,
            environment: appKey)
        #expect(user.status == 0, "\(user.text)")
        #expect((user.object["profile"] as? [String: Any])?["givenName"] as? String == "Steve")
        let conversation = try await Self.parley(
            ["conversations", "create", "--app", appId, "--user", "steve", "--name", "Support", "--json"], url: base, environment: appKey)
        let conversationId = try #require(conversation.object["id"] as? String)
        #expect(try await Self.parley(["conversations", "list", "--app", appId, "--user", "steve", "--json"], url: base).list.map { $0["id"] as? String } == [conversationId])
        let posted = try await Self.parley(
            ["messages", "post", "--app", appId, "--conversation", conversationId, "--text", "Hello!", "--author-name", "Steve", "--json"], url: base)
        #expect(posted.status == 0, "\(posted.text)")
        let listed = try await Self.parley(["messages", "list", "--app", appId, "--conversation", conversationId], url: base)
        #expect(listed.text.contains("Steve") && listed.text.contains("Hello!"), "\(listed.text)")

        let integration = try await HTTP.send(
            "POST", base.appendingPathComponent("v2/apps/\(appId)/integrations"), basic: Self.key, json: #"{"type":"custom","displayName":"Bot","webhooks":[{"target":"https://bot.example/first","triggers":["conversation:message"]}]}"#)
        let integrationId = try #require((integration.body["integration"] as? [String: Any])?["id"] as? String)
        let webhook = try await Self.parley(
            ["webhooks", "create", "--app", appId, "--integration", integrationId, "--target", "https://bot.example/hook", "--trigger", "conversation:message",
             "--trigger", "conversation:read", "--json"], url: base)
        #expect(webhook.status == 0, "\(webhook.text)")
        #expect(webhook.object["triggers"] as? [String] == ["conversation:message", "conversation:read"])
        let webhookId = try #require(webhook.object["id"] as? String)
        #expect(try await Self.parley(["webhooks", "delete", "--app", appId, "--integration", integrationId, webhookId], url: base).status == 0)
        #expect(try await Self.parley(["webhooks", "list", "--app", appId, "--integration", integrationId, "--json"], url: base).list.map { $0["target"] as? String } == ["https://bot.example/first"])

        let oauth = try await Self.parley(["oauth-clients", "create", "--name", "Partner", "--redirect-uri", "https://partner.example/cb", "--json"], url: base)
        #expect(oauth.object["secret"] is String && oauth.object["redirectUris"] as? [String] == ["https://partner.example/cb"])
        #expect(try await Self.parley(["oauth-clients", "list", "--json"], url: base).list.first?["secret"] == nil)

        // The API's errors, as one line and a failing status.
        let missing = try await Self.parley(["users", "get", "--app", appId, "nobody"], url: base)
        #expect(missing.status != 0 && missing.text.contains("404") && missing.text.contains("user_not_found"), "\(missing.text)")
        let refused = try await Self.parley(["apps", "list"], url: base, environment: appKey)
        #expect(refused.status != 0 && refused.text.contains("403"), "\(refused.text)")
        #expect(try await Self.parley(["apps", "delete", appId], url: base).text.contains("Deleted app"))
    }
}

import Foundation
import Testing

@Suite("Switchboard: switchboards, switchboard integrations, control actions and event routing")
struct SwitchboardTests {
    static let triggers = [
        "conversation:create", "conversation:message", "conversation:typing", "switchboard:passControl", "switchboard:passControl:failure",
        "switchboard:offerControl", "switchboard:offerControl:failure", "switchboard:acceptControl", "switchboard:acceptControl:failure",
        "switchboard:releaseControl",
    ]

    /// An app with custom integrations, each with a webhook to the inbox under its own name.
    struct Fixture {
        var api: APIClient
        var inbox: WebhookInbox
        var appId: String
        /// Integration ids by name.
        var integrations: [String: String]

        var app: String { "/v2/apps/\(appId)" }

        func integrationKey(_ name: String) async throws -> Credentials {
            let response = try await api.post("\(app)/integrations/\(integrations[name] ?? "")/keys", ["displayName": name])
            guard let key = response.object["key"], let id = key["id"] as? String, let secret = key["secret"] as? String else {
                throw FixtureError(response.text)
            }
            return Credentials(id: id, secret: secret)
        }

        /// A switchboard with one switchboard integration per name (in order, each passing `next`
        /// to the following one), the first the default, enabled. Returns its id and theirs.
        func switchboard(_ names: [String], deliverStandbyEvents: [String: Bool] = [:], history: [String: Int] = [:]) async throws -> (String, [String: String]) {
            let created = try await api.post("\(app)/switchboards", [String: Any]())
            guard created.status == 201, let id = created.object["switchboard"]?["id"] as? String else { throw FixtureError(created.text) }
            var ids: [String: String] = [:]
            for name in names {
                var body: [String: Any] = ["name": name, "integrationId": integrations[name] ?? "", "deliverStandbyEvents": deliverStandbyEvents[name] ?? false]
                if let count = history[name] { body["messageHistoryCount"] = count }
                let response = try await api.post("\(app)/switchboards/\(id)/switchboardIntegrations", body)
                guard response.status == 201, let sid = response.object["switchboardIntegration"]?["id"] as? String else { throw FixtureError(response.text) }
                ids[name] = sid
            }
            for (name, next) in zip(names, names.dropFirst()) {
                let response = try await api.patch("\(app)/switchboards/\(id)/switchboardIntegrations/\(ids[name] ?? "")", ["nextSwitchboardIntegrationId": ids[next] ?? ""])
                guard response.status == 200 else { throw FixtureError(response.text) }
            }
            let enabled = try await api.patch("\(app)/switchboards/\(id)", ["enabled": true, "defaultSwitchboardIntegrationId": ids[names[0]] ?? ""])
            guard enabled.status == 200 else { throw FixtureError(enabled.text) }
            return (id, ids)
        }

        func action(_ conversationId: String, _ name: String, _ body: [String: Any], as credentials: Credentials? = nil) async throws -> APIResponse {
            let client = credentials.map { api.as_($0) } ?? api
            return try await client.post("\(app)/conversations/\(conversationId)/\(name)", body)
        }

        func conversation(_ id: String) async throws -> [String: Any] {
            try await api.get("\(app)/conversations/\(id)").object["conversation"] ?? [:]
        }

        /// A user and their personal conversation.
        func userConversation(_ externalId: String = "user-\(UUID().uuidString.prefix(8))") async throws -> (conversation: String, user: String) {
            (try await api.createPersonalConversation(appId: appId, externalId: externalId), externalId)
        }

        func userWrites(_ conversationId: String, _ userExternalId: String, _ text: String) async throws {
            let response = try await api.postText(appId: appId, conversationId: conversationId, text, author: ["type": "user", "userExternalId": userExternalId])
            guard response.status == 201 else { throw FixtureError(response.text) }
        }
    }

    static func run(_ names: [String] = ["bot", "agent"], _ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let inbox = WebhookInbox()
        try await inbox.start()
        defer { inbox.stop() }
        try await TestServer.run { api in
            let appId = try await api.createApp()
            var integrations: [String: String] = [:]
            for name in names {
                let response = try await api.post("/v2/apps/\(appId)/integrations", [
                    "type": "custom", "displayName": name, "webhooks": [["target": inbox.target(name), "triggers": triggers]],
                ])
                integrations[name] = try #require(response.object["integration"]?["id"] as? String, "\(response.text)")
            }
            try await test(Fixture(api: api, inbox: inbox, appId: appId, integrations: integrations))
        }
    }

    @Test("Switchboards: one per app, created disabled, enabled only with a default; deleting one removes its integrations")
    func switchboards() async throws {
        try await Self.run { f in
            #expect(try await f.api.get("\(f.app)/switchboards").list("switchboards").isEmpty)
            let created = try await f.api.post("\(f.app)/switchboards", [String: Any]())
            #expect(created.status == 201)
            let id = try #require(created.object["switchboard"]?["id"] as? String)
            #expect(created.object["switchboard"]?["enabled"] as? Bool == false)
            #expect(created.object["switchboard"]?["defaultSwitchboardIntegrationId"] == nil)
            let second = try await f.api.post("\(f.app)/switchboards", [String: Any]())
            #expect(second.status == 400)
            #expect(second.errorTitle == "Only one switchboard can be created per app")
            #expect(try await f.api.get("\(f.app)/switchboards").list("switchboards").map { $0["id"] as? String } == [id])

            let refused = try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": true])
            #expect(refused.status == 400)
            #expect(refused.errorTitle == "Enabled switchboard must have an associated default switchboardIntegration")
            #expect(try await f.api.patch("\(f.app)/switchboards/\(id)", ["defaultSwitchboardIntegrationId": "ffffffffffffffffffffffff"]).status == 400)
            let bot = try await f.api.post("\(f.app)/switchboards/\(id)/switchboardIntegrations", ["name": "bot", "integrationId": f.integrations["bot"] ?? ""])
            let botId = try #require(bot.object["switchboardIntegration"]?["id"] as? String)
            let enabled = try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": true, "defaultSwitchboardIntegrationId": botId])
            #expect(enabled.status == 200)
            #expect(enabled.object["switchboard"]?["enabled"] as? Bool == true)
            #expect(enabled.object["switchboard"]?["defaultSwitchboardIntegrationId"] as? String == botId)
            // Not nullable (the spec's schema): a default is replaced, never cleared.
            #expect(try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": false, "defaultSwitchboardIntegrationId": NSNull()]).status == 400)
            let disabled = try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": false])
            #expect(disabled.status == 200)
            #expect(disabled.object["switchboard"]?["defaultSwitchboardIntegrationId"] as? String == botId)
            for body in [["enabled": "yes"], ["defaultSwitchboardIntegrationId": 5]] as [[String: Any]] {
                #expect(try await f.api.patch("\(f.app)/switchboards/\(id)", body).status == 400, "\(body)")
            }

            #expect(try await f.api.delete("\(f.app)/switchboards/\(id)").status == 200)
            #expect(try await f.api.get("\(f.app)/switchboards").list("switchboards").isEmpty)
            for response in [
                try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": false]), try await f.api.delete("\(f.app)/switchboards/\(id)"),
                try await f.api.get("\(f.app)/switchboards/\(id)/switchboardIntegrations"), try await f.api.get("\(f.app)/switchboards/nope/switchboardIntegrations"),
            ] {
                #expect(response.status == 404)
                #expect(response.errorCode == "switchboard_not_found")
            }
            // A new one starts empty: the old one's integrations went with it.
            let again = try #require(try await f.api.post("\(f.app)/switchboards", [String: Any]()).object["switchboard"]?["id"] as? String)
            #expect(try await f.api.get("\(f.app)/switchboards/\(again)/switchboardIntegrations").list("switchboardIntegrations").isEmpty)
            // Another app's key does not reach it.
            let otherApp = try await f.api.createApp("Other")
            let otherKey = try await f.api.createAppKey(appId: otherApp)
            #expect(try await f.api.as_(otherKey).get("\(f.app)/switchboards").status == 403)
        }
    }

    @Test("Switchboard integrations: fields, defaults, names, links by id or type, next, at most 10, protected deletes")
    func switchboardIntegrations() async throws {
        try await Self.run { f in
            let id = try #require(try await f.api.post("\(f.app)/switchboards", [String: Any]()).object["switchboard"]?["id"] as? String)
            let base = "\(f.app)/switchboards/\(id)/switchboardIntegrations"
            let bot = try await f.api.post(base, ["name": "bot", "integrationId": f.integrations["bot"] ?? "", "messageHistoryCount": 5])
            #expect(bot.status == 201)
            let botJSON = try #require(bot.object["switchboardIntegration"])
            let botId = try #require(botJSON["id"] as? String)
            #expect(botJSON["name"] as? String == "bot")
            #expect(botJSON["integrationId"] as? String == f.integrations["bot"])
            #expect(botJSON["integrationType"] as? String == "custom")
            #expect(botJSON["deliverStandbyEvents"] as? Bool == true)
            #expect(botJSON["messageHistoryCount"] as? Int == 5)
            #expect(botJSON["nextSwitchboardIntegrationId"] == nil)

            // By type: the app's only integration of that type.
            let web = try #require(try await f.api.post("\(f.app)/integrations", ["type": "web"]).object["integration"]?["id"] as? String)
            let byType = try await f.api.post(base, ["name": "web-desk", "integrationType": "web", "nextSwitchboardIntegrationId": botId])
            #expect(byType.status == 201, "\(byType.text)")
            #expect(byType.object["switchboardIntegration"]?["integrationId"] as? String == web)
            #expect(byType.object["switchboardIntegration"]?["nextSwitchboardIntegrationId"] as? String == botId)
            let webDeskId = try #require(byType.object["switchboardIntegration"]?["id"] as? String)

            for (body, fragment) in [
                (["name": "bot", "integrationId": f.integrations["agent"] ?? ""], "already has"),
                (["name": "has space", "integrationId": f.integrations["agent"] ?? ""], "name"),
                (["name": String(repeating: "a", count: 129), "integrationId": f.integrations["agent"] ?? ""], "name"),
                (["integrationId": f.integrations["agent"] ?? ""], "name is required"),
                (["name": "x"], "exactly one"),
                (["name": "x", "integrationId": f.integrations["agent"] ?? "", "integrationType": "custom"], "exactly one"),
                (["name": "x", "integrationType": "custom"], "several"),
                (["name": "x", "integrationType": "zd:agentWorkspace"], "no integration of type"),
                (["name": "x", "integrationId": "ffffffffffffffffffffffff"], "integrationId"),
                (["name": "x", "integrationId": f.integrations["agent"] ?? "", "messageHistoryCount": 11], "messageHistoryCount"),
                (["name": "x", "integrationId": f.integrations["agent"] ?? "", "nextSwitchboardIntegrationId": "ffffffffffffffffffffffff"], "nextSwitchboardIntegrationId"),
            ] as [([String: Any], String)] {
                let response = try await f.api.post(base, body)
                #expect(response.status == 400, "\(body)")
                #expect(response.errorTitle.contains(fragment), "\(body): \(response.errorTitle)")
            }

            let updated = try await f.api.patch("\(base)/\(botId)", ["name": "bot-2", "deliverStandbyEvents": false, "messageHistoryCount": NSNull()])
            #expect(updated.status == 200)
            #expect(updated.object["switchboardIntegration"]?["name"] as? String == "bot-2")
            #expect(updated.object["switchboardIntegration"]?["deliverStandbyEvents"] as? Bool == false)
            #expect(updated.object["switchboardIntegration"]?["messageHistoryCount"] == nil)
            #expect(try await f.api.patch("\(base)/\(botId)", ["integrationId": f.integrations["agent"] ?? "", "integrationType": "custom"]).status == 400)
            #expect(try await f.api.patch("\(base)/\(botId)", ["nextSwitchboardIntegrationId": botId]).status == 400)
            let relinked = try await f.api.patch("\(base)/\(botId)", ["integrationId": f.integrations["agent"] ?? ""])
            #expect(relinked.object["switchboardIntegration"]?["integrationId"] as? String == f.integrations["agent"])
            #expect(try await f.api.get(base).list("switchboardIntegrations").map { $0["name"] as? String } == ["bot-2", "web-desk"])

            // Deleting: not the default, not one another passes to.
            _ = try await f.api.patch("\(f.app)/switchboards/\(id)", ["defaultSwitchboardIntegrationId": webDeskId])
            let isDefault = try await f.api.delete("\(base)/\(webDeskId)")
            #expect(isDefault.status == 400)
            #expect(isDefault.errorTitle.contains("default"))
            let referenced = try await f.api.delete("\(base)/\(botId)")
            #expect(referenced.status == 400)
            #expect(referenced.errorTitle.contains("web-desk"))
            #expect(try await f.api.patch("\(base)/\(webDeskId)", ["nextSwitchboardIntegrationId": NSNull()]).status == 200)
            #expect(try await f.api.delete("\(base)/\(botId)").status == 200)
            for response in [try await f.api.delete("\(base)/\(botId)"), try await f.api.patch("\(base)/\(botId)", ["name": "again"])] {
                #expect(response.status == 404)
                #expect(response.errorCode == "switchboard_integration_not_found")
            }

            // At most 10.
            for index in 0..<9 {
                #expect(try await f.api.post(base, ["name": "n\(index)", "integrationId": f.integrations["agent"] ?? ""]).status == 201)
            }
            let eleventh = try await f.api.post(base, ["name": "n10", "integrationId": f.integrations["agent"] ?? ""])
            #expect(eleventh.status == 400)
            #expect(eleventh.errorCode == "too_many_switchboard_integrations")

            // Deleting an integration removes its switchboard integration, and the references to it.
            #expect(try await f.api.delete("\(f.app)/integrations/\(web)").status == 200)
            #expect(try await f.api.get(base).list("switchboardIntegrations").count == 9)
            #expect(try await f.api.get("\(f.app)/switchboards").list("switchboards").first?["defaultSwitchboardIntegrationId"] == nil)
        }
    }

    @Test("A handoff end to end: the bot answers and passes control, the agent gets the next message, answers and releases, control returns to the bot")
    func handoff() async throws {
        try await Self.run { f in
            let (_, ids) = try await f.switchboard(["bot", "agent"])
            let (conversationId, user) = try await f.userConversation()
            // New conversations start with the default in control.
            #expect(try await f.conversation(conversationId)["activeSwitchboardIntegration"] as? [String: Any] != nil)
            #expect((try await f.conversation(conversationId)["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "bot")

            try await f.userWrites(conversationId, user, "Hi, I need help")
            try await f.api.server.settle()
            #expect(f.inbox.events("bot").compactMap(\.messageText) == ["Hi, I need help"])
            #expect(f.inbox.events("agent").compactMap(\.messageText).isEmpty)

            let bot = try await f.integrationKey("bot")
            #expect(try await f.api.as_(bot).postText(appId: f.appId, conversationId: conversationId, "Let me find you a human").status == 201)
            let passed = try await f.action(conversationId, "passControl", ["switchboardIntegration": "next", "metadata": ["reason": "asked"]], as: bot)
            #expect(passed.status == 200)
            #expect(passed.text == "{}")
            // A retried `next` from the bot, which no longer controls the conversation, is disregarded.
            #expect(try await f.action(conversationId, "passControl", ["switchboardIntegration": "next"], as: bot).status == 200)
            let active = try #require(try await f.conversation(conversationId)["activeSwitchboardIntegration"] as? [String: Any])
            #expect(active["id"] as? String == ids["agent"])
            #expect(active["name"] as? String == "agent")
            #expect(active["integrationId"] as? String == f.integrations["agent"])
            #expect(active["integrationType"] as? String == "custom")

            try await f.userWrites(conversationId, user, "Thanks")
            try await f.api.server.settle()
            #expect(f.inbox.events("agent").compactMap(\.messageText) == ["Thanks"])
            #expect(f.inbox.events("bot").compactMap(\.messageText) == ["Hi, I need help", "Let me find you a human"])
            let passEvents = f.inbox.events("agent").filter { $0["type"] as? String == "switchboard:passControl" }
            #expect(passEvents.count == 1)
            let passPayload = try #require(passEvents.first?["payload"] as? [String: Any])
            #expect(passPayload["metadata"] as? [String: String] == ["reason": "asked"])
            #expect((passEvents.first?.conversation["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "agent")

            let agent = try await f.integrationKey("agent")
            #expect(try await f.api.as_(agent).postText(appId: f.appId, conversationId: conversationId, "Hello, Ann here").status == 201)
            #expect(try await f.action(conversationId, "releaseControl", [String: Any](), as: agent).status == 200)
            #expect(try await f.conversation(conversationId)["activeSwitchboardIntegration"] == nil)
            try await f.api.server.settle()
            let release = try #require(f.inbox.events("bot").first { $0["type"] as? String == "switchboard:releaseControl" })
            #expect(release.conversation["activeSwitchboardIntegration"] == nil)

            // The user's next message hands the conversation back to the default, without an event.
            try await f.userWrites(conversationId, user, "One more thing")
            #expect((try await f.conversation(conversationId)["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "bot")
            try await f.api.server.settle()
            #expect(f.inbox.events("bot").compactMap(\.messageText).last == "One more thing")
            #expect(!f.inbox.events("agent").compactMap(\.messageText).contains("One more thing"))
            #expect(f.inbox.types("bot").filter { $0 == "switchboard:passControl" }.count == 1)
        }
    }

    @Test("Routing: the integration in control hears everything; standby ones only with deliverStandbyEvents; others and a disabled switchboard are unaffected")
    func routing() async throws {
        try await Self.run(["bot", "agent", "listener", "crm"]) { f in
            let (id, _) = try await f.switchboard(["bot", "agent", "listener"], deliverStandbyEvents: ["listener": true])
            let (conversationId, user) = try await f.userConversation()
            try await f.userWrites(conversationId, user, "first")
            // Business typing is a conversation event too.
            #expect(try await f.api.post("\(f.app)/conversations/\(conversationId)/activity", ["author": ["type": "business"], "type": "typing:start"]).status == 200)
            try await f.api.server.settle()
            #expect(f.inbox.types("bot") == ["conversation:create", "conversation:message", "conversation:typing"])
            #expect(f.inbox.types("agent").isEmpty)
            #expect(f.inbox.types("listener") == ["conversation:create", "conversation:message", "conversation:typing"])
            // Not on the switchboard: unaffected.
            #expect(f.inbox.types("crm") == ["conversation:create", "conversation:message", "conversation:typing"])
            let typing = try #require(f.inbox.events("bot").last?["payload"] as? [String: Any])
            #expect((typing["activity"] as? [String: Any])?["type"] as? String == "typing:start")
            #expect(((typing["activity"] as? [String: Any])?["author"] as? [String: Any])?["type"] as? String == "business")

            // Disabled, it routes nothing.
            #expect(try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": false]).status == 200)
            try await f.userWrites(conversationId, user, "second")
            try await f.api.server.settle()
            for name in ["bot", "agent", "listener", "crm"] {
                #expect(f.inbox.events(name).compactMap(\.messageText).last == "second", "\(name)")
            }
            // Deleted, its integrations hear everything again.
            #expect(try await f.api.patch("\(f.app)/switchboards/\(id)", ["enabled": true]).status == 200)
            try await f.userWrites(conversationId, user, "third")
            #expect(try await f.api.delete("\(f.app)/switchboards/\(id)").status == 200)
            try await f.userWrites(conversationId, user, "fourth")
            try await f.api.server.settle()
            #expect(f.inbox.events("agent").compactMap(\.messageText) == ["second", "fourth"])
            #expect(try await f.conversation(conversationId)["activeSwitchboardIntegration"] == nil)
        }
    }

    @Test("Offer and accept; failures as events; integration keys: accept only when pending, release only when active")
    func offerAcceptAndFailures() async throws {
        try await Self.run(["bot", "agent", "supervisor"]) { f in
            let (conversationId, _) = try await f.userConversation()
            // No switchboard: the actions answer 200 and tell the failure by event.
            #expect(try await f.action(conversationId, "passControl", ["switchboardIntegration": "agent"]).status == 200)
            let (_, ids) = try await f.switchboard(["bot", "agent", "supervisor"], history: ["agent": 2])
            let (conversation, user) = try await f.userConversation()
            for text in ["one", "two", "three"] { try await f.userWrites(conversation, user, text) }

            let agent = try await f.integrationKey("agent")
            let supervisor = try await f.integrationKey("supervisor")
            // Nothing pending yet: the agent may not accept; an app key's accept fails by event.
            #expect(try await f.action(conversation, "acceptControl", [String: Any](), as: agent).status == 403)
            #expect(try await f.action(conversation, "acceptControl", ["metadata": ["try": 1]]).status == 200)
            // Only the active integration may release.
            let notActive = try await f.action(conversation, "releaseControl", [String: Any](), as: agent)
            #expect(notActive.status == 403)
            #expect(notActive.errorCode == "forbidden")

            #expect(try await f.action(conversation, "offerControl", ["switchboardIntegration": "bot"]).status == 200)
            #expect(try await f.action(conversation, "offerControl", ["switchboardIntegration": "nobody"]).status == 200)
            #expect(try await f.action(conversation, "offerControl", ["switchboardIntegration": ids["agent"] ?? "", "metadata": ["lang": "fr"]]).status == 200)
            var state = try await f.conversation(conversation)
            #expect((state["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "bot")
            #expect((state["pendingSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "agent")
            // A later offer replaces it; the supervisor is then the one that may accept.
            #expect(try await f.action(conversation, "offerControl", ["switchboardIntegration": "supervisor"]).status == 200)
            #expect(try await f.action(conversation, "acceptControl", [String: Any](), as: agent).status == 403)
            #expect(try await f.action(conversation, "offerControl", ["switchboardIntegration": "agent"]).status == 200)
            #expect(try await f.action(conversation, "acceptControl", ["metadata": ["by": "agent"]], as: agent).status == 200)
            state = try await f.conversation(conversation)
            #expect((state["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "agent")
            #expect(state["pendingSwitchboardIntegration"] == nil)
            #expect(try await f.action(conversation, "releaseControl", [String: Any](), as: supervisor).status == 403)

            // Malformed requests are 400, unknown conversations 404.
            for (name, body) in [("passControl", [String: Any]()), ("offerControl", ["switchboardIntegration": 3]), ("passControl", ["switchboardIntegration": "x", "metadata": ["a": ["b": 1]]])] {
                #expect(try await f.action(conversation, name, body).status == 400, "\(name) \(body)")
            }
            for name in ["passControl", "offerControl", "acceptControl", "releaseControl"] {
                let missing = try await f.action("ffffffffffffffffffffffff", name, ["switchboardIntegration": "bot"])
                #expect(missing.status == 404)
                #expect(missing.errorCode == "conversation_not_found")
            }
            // ReleaseControl's body is optional.
            #expect(try await f.api.call(.post, "\(f.app)/conversations/\(conversation)/releaseControl").status == 200)

            try await f.api.server.settle()
            // The supervisor is in standby without standby events: it hears the switchboard's
            // own events, all of them, and nothing of the conversations.
            let switchboardEvents = f.inbox.events("supervisor").filter { ($0["type"] as? String)?.hasPrefix("switchboard:") == true }
            let types = switchboardEvents.compactMap { $0["type"] as? String }
            #expect(types == [
                "switchboard:passControl:failure", "switchboard:acceptControl:failure", "switchboard:offerControl:failure",
                "switchboard:offerControl:failure", "switchboard:offerControl", "switchboard:offerControl", "switchboard:offerControl",
                "switchboard:acceptControl", "switchboard:releaseControl",
            ])
            func error(_ event: [String: Any]) -> [String: String] { (event["payload"] as? [String: Any])?["error"] as? [String: String] ?? [:] }
            #expect(error(switchboardEvents[0])["code"] == "switchboard_invalid_target")
            #expect(error(switchboardEvents[1]) == ["code": "switchboard_invalid_action", "message": "There is no pendingSwitchboardIntegration"])
            #expect((switchboardEvents[1]["payload"] as? [String: Any])?["metadata"] as? [String: Int] == ["try": 1])
            #expect(error(switchboardEvents[2]) == ["code": "switchboard_invalid_target", "message": "Cannot offer control to the active switchboard integration."])
            #expect(error(switchboardEvents[3])["code"] == "switchboard_invalid_target")
            let offer = switchboardEvents[4]
            #expect((offer.conversation["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "bot")
            #expect((offer.conversation["pendingSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "agent")
            #expect((offer["payload"] as? [String: Any])?["metadata"] as? [String: String] == ["lang": "fr"])
            let accept = switchboardEvents[7]
            #expect((accept.conversation["activeSwitchboardIntegration"] as? [String: Any])?["name"] as? String == "agent")
            #expect(accept.conversation["pendingSwitchboardIntegration"] == nil)
            // The agent asked for the two latest messages with control.
            let history = (accept["payload"] as? [String: Any])?["messageHistory"] as? [[String: Any]] ?? []
            #expect(history.compactMap { ($0["content"] as? [String: Any])?["text"] as? String } == ["two", "three"])
        }
    }
}

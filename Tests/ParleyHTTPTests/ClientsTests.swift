import Foundation
import ParleyDomain
import ParleyServer
import Testing

@Suite("Clients and channel linking")
struct ClientsTests {
    /// An app named "Channel 5" with an app key, a Mailgun integration pointing at `mailgun`'s key,
    /// and a personal conversation with user "steve".
    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let conversationId: String
        var clients: String { "/v2/apps/\(appId)/users/steve/clients" }
    }

    static func fixture(_ api: APIClient, mailgun: FakeMailgun?) async throws -> Fixture {
        let appId = try await api.createApp("Channel 5")
        let key = try await api.createAppKey(appId: appId)
        let integration = try await api.post("/v2/apps/\(appId)/integrations", [
            "type": "mailgun", "apiKey": mailgun?.apiKey ?? "key-x", "domain": "mg.channel5.com", "incomingAddress": "inbox@mg.channel5.com",
        ])
        let integrationId = try #require(integration.object["integration"]?["id"] as? String)
        let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
        return Fixture(api: api.as_(key), appId: appId, integrationId: integrationId, conversationId: conversationId)
    }

    /// The seed request of the issue, with ids substituted.
    static func seedBody(_ fixture: Fixture) -> [String: Any] {
        [
            "matchCriteria": [
                "type": "mailgun", "integrationId": fixture.integrationId, "primary": true, "address": "steveb@channel5.com",
                "subject": "New message from {appName}",
            ],
            "confirmation": [
                "type": "immediate",
                "message": [
                    "author": ["type": "business", "displayName": "Steve", "avatarUrl": "https://www.gravatar.com/image.jpg"],
                    "content": ["type": "text", "text": "Hello!"], "metadata": ["lang": "en-ca"],
                ],
            ],
            "target": ["conversationId": fixture.conversationId],
        ]
    }

    static func withMailgun(_ test: @escaping @Sendable (Fixture, FakeMailgun) async throws -> Void) async throws {
        let mailgun = FakeMailgun()
        try await mailgun.start()
        defer { mailgun.stop() }
        try await TestServer.run(mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            try await test(try await fixture(api, mailgun: mailgun), mailgun)
        }
    }

    static func clientStatus(_ fixture: Fixture, _ id: String) async throws -> String? {
        let listed = try await fixture.api.get(fixture.clients)
        return listed.list("clients").first { $0["id"] as? String == id }?["status"] as? String
    }

    @Test("The seed request: 201 pending, one email, then the client is active and primary")
    func seed() async throws {
        try await Self.withMailgun { fixture, mailgun in
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            #expect(created.status == 201, "\(created.text)")
            let client = try #require(created.object["client"])
            let id = try #require(client["id"] as? String)
            #expect(client["type"] as? String == "mailgun")
            #expect(client["status"] as? String == "pending")
            #expect(client["integrationId"] as? String == fixture.integrationId)
            #expect(client["externalId"] as? String == "steveb@channel5.com")
            #expect(client["linkedAt"] == nil && client["displayName"] == nil)

            try await mailgun.wait { try await Self.clientStatus(fixture, id) == "active" }
            #expect(mailgun.emails.count == 1)
            let email = try #require(mailgun.emails.first)
            #expect(email.domain == "mg.channel5.com")
            #expect(email.fields["to"] == "steveb@channel5.com")
            #expect(email.fields["subject"] == "New message from Channel 5")
            #expect(email.fields["text"] == "Hello!")
            #expect(email.fields["html"] == "Hello!")
            #expect(email.fields["from"] == "inbox@mg.channel5.com")
            // Replies come back tagged with the target conversation.
            #expect(email.fields["h:Reply-To"] == "inbox+\(fixture.conversationId)@mg.channel5.com")

            let listed = try await fixture.api.get(fixture.clients)
            let active = try #require(listed.list("clients").first)
            #expect(active["linkedAt"] is String)
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/participants")
            let associations = try #require(participants.list("participants").first?["clientAssociations"] as? [[String: Any]])
            #expect(associations.first?["clientId"] as? String == id)
            #expect(associations.first?["type"] as? String == "mailgun")
            // Sent once: nothing more goes out on later passes.
            try await fixture.api.server.settle()
            #expect(mailgun.requests == 1)
        }
    }

    @Test("fromAddress is the sender when set; htmlText is sent as html; userActivity stays pending")
    func fromAddressAndPending() async throws {
        try await Self.withMailgun { fixture, mailgun in
            _ = try await fixture.api.patch("/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)", ["fromAddress": "Support <support@channel5.com>"])
            var body = Self.seedBody(fixture)
            body["confirmation"] = [
                "type": "userActivity",
                "message": ["author": ["type": "business"], "content": ["type": "text", "markdownText": "**Hi** <you>"]],
            ]
            let created = try await fixture.api.post(fixture.clients, body)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { mailgun.emails.count == 1 }
            let email = try #require(mailgun.emails.first)
            #expect(email.fields["from"] == "Support <support@channel5.com>")
            #expect(email.fields["html"]?.contains("<strong>Hi</strong>") == true)
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, id) == "pending")
        }
    }

    @Test("Without a confirmation message nothing is sent: immediate links at once, userActivity stays pending")
    func noMessage() async throws {
        try await Self.withMailgun { fixture, mailgun in
            var body = Self.seedBody(fixture)
            body["confirmation"] = ["type": "immediate"]
            let immediate = try await fixture.api.post(fixture.clients, body)
            #expect(immediate.status == 201, "\(immediate.text)")
            let immediateId = try #require(immediate.object["client"]?["id"] as? String)
            body["confirmation"] = ["type": "userActivity"]
            let later = try await fixture.api.post(fixture.clients, body)
            let laterId = try #require(later.object["client"]?["id"] as? String)
            try await mailgun.wait { try await Self.clientStatus(fixture, immediateId) == "active" }
            try await fixture.api.server.settle()
            #expect(try await Self.clientStatus(fixture, laterId) == "pending")
            #expect(mailgun.requests == 0)
        }
    }

    @Test("A client removed before its message goes out gets no email")
    func removedBeforeSending() async throws {
        let mailgun = FakeMailgun()
        try await mailgun.start()
        defer { mailgun.stop() }
        // The first attempt is refused for now (429); the client is removed before the retry, a
        // minute later on the server's clock, which must then send nothing.
        mailgun.answer(429)
        try await TestServer.run(mailgunBaseURL: mailgun.url, channelPolicy: RetryPolicy(maxAttempts: 3, baseDelaySeconds: 60)) { api in
            let fixture = try await Self.fixture(api, mailgun: mailgun)
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { mailgun.requests == 1 }
            #expect(try await fixture.api.delete("\(fixture.clients)/\(id)").status == 200)
            api.server.advance(by: 180)
            try await api.server.settle()
            #expect(mailgun.requests == 1)
            #expect(mailgun.emails.isEmpty)
        }
    }

    @Test("A 500 is retried and the second attempt links the client")
    func retry() async throws {
        try await Self.withMailgun { fixture, mailgun in
            mailgun.answer(500)
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            let id = try #require(created.object["client"]?["id"] as? String)
            try await mailgun.wait { try await Self.clientStatus(fixture, id) == "active" }
            #expect(mailgun.requests == 2)
            #expect(mailgun.emails.count == 1)
        }
    }

    @Test("A 400 is final: the pending client is removed")
    func permanentFailure() async throws {
        try await Self.withMailgun { fixture, mailgun in
            mailgun.answer(400)
            let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            #expect(created.status == 201)
            try await mailgun.wait { try await fixture.api.get(fixture.clients).list("clients").isEmpty }
            try await fixture.api.server.settle()
            #expect(mailgun.requests == 1)
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/participants")
            #expect((participants.list("participants").first?["clientAssociations"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("client:add, client:update (confirmed) and client:remove (linkFailed, with the error) reach subscribed webhooks")
    func events() async throws {
        let path = TestServer.temporaryDatabasePath()
        let mailgun = FakeMailgun()
        try await mailgun.start()
        defer { mailgun.stop() }
        try await TestServer.run(databasePath: path, mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let fixture = try await Self.fixture(api, mailgun: mailgun)
            // The target answers 503: the events stay queued for this test to read.
            let custom = try await api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "custom", "webhooks": [["target": "\(mailgun.url)/unavailable", "triggers": ["client:add", "client:update", "client:remove"]]],
            ])
            #expect(custom.status == 201)
            let linked = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            let linkedId = try #require(linked.object["client"]?["id"] as? String)
            try await mailgun.wait { try await Self.clientStatus(fixture, linkedId) == "active" }
            mailgun.answer(400)
            _ = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            try await mailgun.wait { try await fixture.api.get(fixture.clients).list("clients").count == 1 }
        }
        let batches = try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in
            try await services.store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 100, limit: 10)
        }
        let events = try #require(batches.first).events
        #expect(events.map(\.type) == [.clientAdd, .clientUpdate, .clientAdd, .clientRemove])
        func payload(_ index: Int) -> [String: JSONValue] {
            if case .object(let payload) = events[index].payload { return payload }
            return [:]
        }
        #expect(payload(0)["reason"] == .string("channelLinking"))
        #expect(payload(1)["reason"] == .string("confirmed"))
        #expect(payload(3)["reason"] == .string("linkFailed"))
        for index in 0..<4 {
            guard case .object(let user)? = payload(index)["user"], case .object(let client)? = payload(index)["client"],
                case .object(let conversation)? = payload(index)["conversation"]
            else { Issue.record("event \(index) lacks user, client or conversation"); continue }
            #expect(user["externalId"] == .string("steve"))
            #expect(client["externalId"] == .string("steveb@channel5.com"))
            #expect(conversation["type"] == .string("personal"))
        }
        guard case .object(let confirmed)? = payload(1)["client"], case .object(let error)? = payload(3)["error"] else {
            Issue.record("client:update lacks client or client:remove lacks error"); return
        }
        #expect(confirmed["status"] == .string("active"))
        #expect(error["message"] == .string("HTTP 400"))
    }

    @Test("A wrong API key (401 from Mailgun) is final too")
    func wrongKey() async throws {
        let mailgun = FakeMailgun(apiKey: "the-real-key")
        try await mailgun.start()
        defer { mailgun.stop() }
        try await TestServer.run(mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy) { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            _ = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
            try await mailgun.wait { try await fixture.api.get(fixture.clients).list("clients").isEmpty }
            #expect(mailgun.emails.isEmpty)
        }
    }

    /// Each rule, one change to the seed body, and the field the 400 must name.
    static let invalid: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("no matchCriteria", { $0["matchCriteria"] = nil }, "matchCriteria"),
        ("no confirmation", { $0["confirmation"] = nil }, "confirmation"),
        ("no target", { $0["target"] = nil }, "target"),
        ("unknown type", { ClientsTests.set(&$0, "matchCriteria", "type", "fax") }, "matchCriteria.type"),
        ("no integrationId", { ClientsTests.set(&$0, "matchCriteria", "integrationId", nil) }, "matchCriteria.integrationId"),
        ("no address", { ClientsTests.set(&$0, "matchCriteria", "address", nil) }, "matchCriteria.address"),
        ("bad address", { ClientsTests.set(&$0, "matchCriteria", "address", "not-an-email") }, "matchCriteria.address"),
        ("primary not a boolean", { ClientsTests.set(&$0, "matchCriteria", "primary", "yes") }, "matchCriteria.primary"),
        ("empty subject", { ClientsTests.set(&$0, "matchCriteria", "subject", "") }, "matchCriteria.subject"),
        ("bad confirmation type", { ClientsTests.set(&$0, "confirmation", "type", "later") }, "confirmation.type"),
        ("confirmation message not an object", { ClientsTests.set(&$0, "confirmation", "message", "Hello!") }, "confirmation.message"),
        ("no confirmation type", { ClientsTests.set(&$0, "confirmation", "type", nil) }, "confirmation.type"),
        ("user author", { ClientsTests.setMessage(&$0, "author", ["type": "user", "userExternalId": "steve"]) }, "confirmation.message.author.type"),
        ("no author", { ClientsTests.setMessage(&$0, "author", nil) }, "confirmation.message.author"),
        ("no content", { ClientsTests.setMessage(&$0, "content", nil) }, "confirmation.message.content"),
        ("file content", { ClientsTests.setMessage(&$0, "content", ["type": "file", "mediaUrl": "https://x.io/a.pdf"]) }, "confirmation.message.content.type"),
        ("reply action", {
            ClientsTests.setMessage(&$0, "content", ["type": "text", "text": "Hi", "actions": [["type": "reply", "text": "Yes", "payload": "y"]]])
        }, "confirmation.message.content.actions[0].type"),
        ("bad link action", {
            ClientsTests.setMessage(&$0, "content", ["type": "text", "text": "Hi", "actions": [["type": "link", "text": "Go"]]])
        }, "confirmation.message.content.actions[0].uri"),
        ("text too long", {
            ClientsTests.setMessage(&$0, "content", ["type": "text", "text": String(repeating: "a", count: 4097)])
        }, "confirmation.message.content.text"),
        ("no conversationId", { ClientsTests.set(&$0, "target", "conversationId", nil) }, "target.conversationId"),
    ]

    static func set(_ body: inout [String: Any], _ object: String, _ key: String, _ value: Any?) {
        var inner = body[object] as? [String: Any] ?? [:]
        inner[key] = value
        body[object] = inner
    }

    static func setMessage(_ body: inout [String: Any], _ key: String, _ value: Any?) {
        var confirmation = body["confirmation"] as? [String: Any] ?? [:]
        var message = confirmation["message"] as? [String: Any] ?? [:]
        message[key] = value
        confirmation["message"] = message
        body["confirmation"] = confirmation
    }

    @Test("Each rule answers 400 naming the field, and nothing is sent", arguments: invalid.map(\.0))
    func validation(name: String) async throws {
        let (_, change, field) = try #require(Self.invalid.first { $0.0 == name })
        try await Self.withMailgun { fixture, mailgun in
            var body = Self.seedBody(fixture)
            change(&body)
            let response = try await fixture.api.post(fixture.clients, body)
            #expect(response.status == 400, "\(response.text)")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
            #expect(try await fixture.api.get(fixture.clients).list("clients").isEmpty)
            #expect(mailgun.requests == 0)
        }
    }

    @Test("404s: user, integration, conversation")
    func notFound() async throws {
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            let noUser = try await fixture.api.post("/v2/apps/\(fixture.appId)/users/nobody/clients", Self.seedBody(fixture))
            #expect(noUser.status == 404 && noUser.errorCode == "user_not_found")
            var body = Self.seedBody(fixture)
            Self.set(&body, "matchCriteria", "integrationId", "5f0000000000000000000000")
            let noIntegration = try await fixture.api.post(fixture.clients, body)
            #expect(noIntegration.status == 404 && noIntegration.errorCode == "integration_not_found")
            body = Self.seedBody(fixture)
            Self.set(&body, "target", "conversationId", "5f0000000000000000000000")
            let noConversation = try await fixture.api.post(fixture.clients, body)
            #expect(noConversation.status == 404 && noConversation.errorCode == "conversation_not_found")
        }
    }

    @Test("Target conversation: a personal one of someone else is 400; an sdkGroup one is joined")
    func target() async throws {
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            let other = try await api.createPersonalConversation(appId: fixture.appId, externalId: "alice")
            var body = Self.seedBody(fixture)
            Self.set(&body, "target", "conversationId", other)
            let refused = try await fixture.api.post(fixture.clients, body)
            #expect(refused.status == 400 && refused.errorTitle.contains("target.conversationId"), "\(refused.text)")

            let group = try await fixture.api.post("/v2/apps/\(fixture.appId)/conversations", ["type": "sdkGroup"])
            let groupId = try #require(group.object["conversation"]?["id"] as? String)
            Self.set(&body, "target", "conversationId", groupId)
            let joined = try await fixture.api.post(fixture.clients, body)
            #expect(joined.status == 201, "\(joined.text)")
            let participants = try await fixture.api.get("/v2/apps/\(fixture.appId)/conversations/\(groupId)/participants")
            #expect(participants.list("participants").map { $0["userExternalId"] as? String } == ["steve"])
        }
    }

    static let phoneNumbers: [(String, String?)] = [
        ("+1 212-555-2368", "+12125552368"), ("+12125552368", "+12125552368"), ("+1 212 555 2368", "+12125552368"),
        ("+1 (212) 555.2368", "+12125552368"), ("+44 20 7946 0958", "+442079460958"),
        ("212 555 2368", nil), ("1 212 555 2368", nil), ("+1 212", nil), ("+1 212 555 2368 1234 5678", nil), ("+1 212 ABC 2368", nil),
    ]

    @Test("A twilio link takes a phone number in E.164 for every confirmation type; a number without + and country code is 400; a link naming another type's integration is refused", arguments: phoneNumbers.map(\.0))
    func phoneNumber(input: String) async throws {
        let normalized = try #require(Self.phoneNumbers.first { $0.0 == input }).1
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            let twilio = try await fixture.api.post("/v2/apps/\(fixture.appId)/integrations", [
                "type": "twilio", "accountSid": "AC1", "authToken": "tok", "phoneNumberSid": "PN1",
            ])
            let twilioId = try #require(twilio.object["integration"]?["id"] as? String)
            for confirmation in ["immediate", "userActivity", "prompt"] {
                var body = Self.seedBody(fixture)
                body["matchCriteria"] = ["type": "twilio", "integrationId": twilioId, "phoneNumber": input]
                body["confirmation"] = ["type": confirmation]
                let response = try await fixture.api.post(fixture.clients, body)
                if let normalized {
                    #expect(response.status == 201, "\(response.text)")
                    #expect(response.object["client"]?["externalId"] as? String == normalized)
                    #expect(response.object["client"]?["type"] as? String == "twilio")
                } else {
                    #expect(response.status == 400)
                    #expect(response.errorTitle.contains("matchCriteria.phoneNumber"), "\(response.errorTitle)")
                }
                // A messagebird link naming the twilio integration: refused whatever the number.
                body["matchCriteria"] = ["type": "messagebird", "integrationId": twilioId, "phoneNumber": input]
                let refused = try await fixture.api.post(fixture.clients, body)
                #expect(
                    refused.status == 400 && (refused.errorTitle.contains("not messagebird") || refused.errorTitle.contains("matchCriteria.phoneNumber")),
                    "\(refused.errorTitle)")
            }
            #expect(try await fixture.api.get(fixture.clients).list("clients").count == (normalized == nil ? 0 : 3))
            // A mailgun link naming the twilio integration: the integration must be of the link's type.
            var mismatched = Self.seedBody(fixture)
            Self.set(&mismatched, "matchCriteria", "integrationId", twilioId)
            let response = try await fixture.api.post(fixture.clients, mismatched)
            #expect(response.status == 400)
            #expect(response.errorTitle.contains("matchCriteria.integrationId names a twilio integration"), "\(response.errorTitle)")
        }
    }

    @Test("ListClients pages; RemoveClient removes; 404 client_not_found")
    func listAndRemove() async throws {
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            var ids: [String] = []
            for _ in 0..<3 {
                let created = try await fixture.api.post(fixture.clients, Self.seedBody(fixture))
                ids.append(try #require(created.object["client"]?["id"] as? String))
            }
            let first = try await fixture.api.get("\(fixture.clients)?page[size]=2")
            #expect(first.status == 200)
            #expect(first.list("clients").map { $0["id"] as? String } == [ids[0], ids[1]])
            #expect((first.json["meta"] as? [String: Any])?["hasMore"] as? Bool == true)
            let second = try await fixture.api.get("\(fixture.clients)?page[size]=2&page[after]=\(ids[1])")
            #expect(second.list("clients").map { $0["id"] as? String } == [ids[2]])

            let removed = try await fixture.api.delete("\(fixture.clients)/\(ids[0])")
            #expect(removed.status == 200 && removed.text == "{}")
            let again = try await fixture.api.delete("\(fixture.clients)/\(ids[0])")
            #expect(again.status == 404 && again.errorCode == "client_not_found")
            let bogus = try await fixture.api.delete("\(fixture.clients)/not-an-id")
            #expect(bogus.errorCode == "client_not_found")
            #expect(try await fixture.api.get(fixture.clients).list("clients").count == 2)
            let noUser = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/nobody/clients")
            #expect(noUser.errorCode == "user_not_found")
        }
    }

    @Test("Devices: none for an existing user; 404 device_not_found and user_not_found")
    func devices() async throws {
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api, mailgun: nil)
            let listed = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve/devices")
            #expect(listed.status == 200 && listed.text == #"{"devices":[]}"#)
            let device = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/steve/devices/5f0000000000000000000000")
            #expect(device.status == 404 && device.errorCode == "device_not_found")
            let noUser = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/nobody/devices")
            #expect(noUser.status == 404 && noUser.errorCode == "user_not_found")
        }
    }
}

import Foundation
import Hummingbird
import Testing

@testable import ParleyDomain

/// The whole server in process (`buildApplication`, the real router, auth, decoders, services
/// and SQLite store): mutated bodies for every operation that takes one, hostile paths, query
/// strings and Authorization headers on GET operations, and hostile posts to Mailgun's inbound
/// endpoints, some correctly signed. Every answer must be below 500 (501 and 503 excepted), every
/// 4xx must be the API's error envelope, and no 2xx may carry U+0000 (docs/DECISIONS.md: text
/// never holds it). A trap ends the process: the seed line printed first replays it.
@Suite("Fuzz: HTTP")
struct HTTPFuzzTests {
    /// HTTP requests are slower than parser calls: each of the three tests sends this many
    /// (20,000 by default across the suite, each operation a few hundred).
    static var requests: Int { max(1, Fuzz.cases / 3) }

    struct Fixture: Sendable {
        let appId: String
        let appKey: AuthenticatorFuzzTests.Key
        let conversationId: String
        let groupId: String
        let mailgunId: String
        let customId: String
        let webhookId: String
        let switchboardId: String
        let switchboardIntegrationId: String
        /// An uploaded attachment's `mediaUrl` (the first DeleteAttachment that keeps it removes it).
        let mediaUrl: String
    }

    static func fixture(_ api: FuzzClient) async throws -> Fixture {
        let appId = try await api.create("/v2/apps", .object(["displayName": .string("Fuzz")]), "app", "id")
        let key = try await api.send(.post, "/v2/apps/\(appId)/keys", json: .object(["displayName": .string("fuzz")]))
        guard let keyId = key.string("key", "id"), let secret = key.string("key", "secret") else { throw FuzzFixtureError(description: "app key") }
        for externalId in ["steve", "ana"] {
            _ = try await api.create("/v2/apps/\(appId)/users", .object(["externalId": .string(externalId)]), "user", "id")
        }
        let conversationId = try await api.create(
            "/v2/apps/\(appId)/conversations",
            .object(["type": .string("personal"), "participants": .array([.object(["userExternalId": .string("steve")])])]), "conversation", "id")
        let groupId = try await api.create(
            "/v2/apps/\(appId)/conversations",
            .object(["type": .string("sdkGroup"), "participants": .array([.object(["userExternalId": .string("steve")])])]), "conversation", "id")
        let mailgunId = try await api.create(
            "/v2/apps/\(appId)/integrations",
            .object(["type": .string("mailgun"), "apiKey": .string(Self.mailgunKey), "domain": .string("mg.example.com"),
                     "incomingAddress": .string("in@mg.example.com")]), "integration", "id")
        let custom = try await api.send(.post, "/v2/apps/\(appId)/integrations", json: .object([
            "type": .string("custom"),
            "webhooks": .array([.object(["target": .string("http://127.0.0.1:9/hook"), "triggers": .array([.string("conversation:message")])])]),
        ]))
        guard let customId = custom.string("integration", "id"), case .object(let root)? = custom.json, case .object(let integration)? = root["integration"],
            case .array(let webhooks)? = integration["webhooks"], case .object(let webhook)? = webhooks.first, case .string(let webhookId)? = webhook["id"]
        else { throw FuzzFixtureError(description: "custom integration: \(String(decoding: custom.body, as: UTF8.self))") }
        let switchboardId = try await api.create("/v2/apps/\(appId)/switchboards", .object([:]), "switchboard", "id")
        let switchboardIntegrationId = try await api.create(
            "/v2/apps/\(appId)/switchboards/\(switchboardId)/switchboardIntegrations",
            .object(["name": .string("bot"), "integrationId": .string(customId)]), "switchboardIntegration", "id")
        let upload = try await api.send(
            .post, "/v2/apps/\(appId)/attachments?access=public",
            body: Array("--b\r\nContent-Disposition: form-data; name=\"source\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--".utf8),
            contentType: "multipart/form-data; boundary=b")
        guard let mediaUrl = upload.string("attachment", "mediaUrl") else { throw FuzzFixtureError(description: "attachment") }
        return Fixture(
            appId: appId, appKey: AuthenticatorFuzzTests.Key(id: keyId, secret: secret, scope: .app), conversationId: conversationId, groupId: groupId,
            mailgunId: mailgunId, customId: customId, webhookId: webhookId, switchboardId: switchboardId,
            switchboardIntegrationId: switchboardIntegrationId, mediaUrl: mediaUrl)
    }

    static let mailgunKey = "key-fuzz"

    /// One valid request of every operation that takes a JSON body.
    struct BodyCase: Sendable {
        let operation: String
        let method: HTTPRequest.Method
        let path: @Sendable (Fixture) -> String
        let body: @Sendable (Fixture) -> JSONValue
        /// False for operations whose every answer here is a refusal (no Messenger user, no Apple
        /// channel, no Zendesk users, a code that was never issued): their bodies are still read.
        var reachesSuccess = true
    }

    static let bodyCases: [BodyCase] = [
        BodyCase(operation: "CreateApp", method: .post, path: { _ in "/v2/apps" }, body: { _ in
            .object(["displayName": .string("App"), "metadata": .object(["team": .string("blue")]), "settings": .object(["multiConvoEnabled": .bool(true)])])
        }),
        BodyCase(operation: "UpdateApp", method: .patch, path: { "/v2/apps/\($0.appId)" }, body: { _ in
            .object(["displayName": .string("Renamed"), "metadata": .object(["team": .string("red")])])
        }),
        BodyCase(operation: "CreateAppKey", method: .post, path: { "/v2/apps/\($0.appId)/keys" }, body: { _ in .object(["displayName": .string("Key")]) }),
        BodyCase(operation: "CreateUser", method: .post, path: { "/v2/apps/\($0.appId)/users" }, body: { _ in
            .object(["externalId": .string("sue"), "signedUpAt": .string("2020-05-21T15:53:30.197Z"), "metadata": .object(["plan": .string("gold")]),
                     "profile": .object(["givenName": .string("Sue"), "surname": .string("Doe"), "email": .string("sue@example.com"),
                                         "avatarUrl": .string("https://example.com/a.png"), "locale": .string("en-US")])])
        }),
        BodyCase(operation: "UpdateUser", method: .patch, path: { "/v2/apps/\($0.appId)/users/steve" }, body: { _ in
            .object(["metadata": .object(["plan": .string("gold")]), "profile": .object(["givenName": .string("Steve"), "email": .string("steve@example.com")])])
        }),
        BodyCase(operation: "CreateConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations" }, body: { _ in
            .object(["type": .string("sdkGroup"), "displayName": .string("Room"), "description": .string("A room"), "iconUrl": .string("https://example.com/i.png"),
                     "metadata": .object(["topic": .string("x")]), "participants": .array([.object(["userExternalId": .string("steve"), "subscribeSDKClient": .bool(false)])])])
        }),
        BodyCase(operation: "UpdateConversation", method: .patch, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)" }, body: { _ in
            .object(["displayName": .string("Room 2"), "description": .string("Another"), "metadata": .object(["topic": .string("y")])])
        }),
        BodyCase(operation: "JoinConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)/join" }, body: { _ in
            .object(["userExternalId": .string("ana")])
        }),
        BodyCase(operation: "LeaveConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)/leave" }, body: { _ in
            .object(["userExternalId": .string("ana")])
        }),
        BodyCase(operation: "PostMessage", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/messages" }, body: { _ in
            .object(["author": .object(["type": .string("business"), "displayName": .string("Support")]),
                     "content": .object(["type": .string("text"), "text": .string("Hello")]), "metadata": .object(["k": .string("v")])])
        }),
        BodyCase(operation: "PostMessage (user)", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/messages" }, body: { _ in
            .object(["author": .object(["type": .string("user"), "userExternalId": .string("steve")]),
                     "content": .object(["type": .string("text"), "text": .string("Hi")])])
        }),
        BodyCase(operation: "PostActivity", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/activity" }, body: { _ in
            .object(["author": .object(["type": .string("user"), "userExternalId": .string("steve")]), "type": .string("conversation:read")])
        }),
        BodyCase(operation: "CreateIntegration", method: .post, path: { "/v2/apps/\($0.appId)/integrations" }, body: { _ in
            .object(["type": .string("mailgun"), "displayName": .string("Mail"), "apiKey": .string("key-1"), "domain": .string("mg2.example.com"),
                     "incomingAddress": .string("in@mg2.example.com")])
        }),
        BodyCase(operation: "UpdateIntegration", method: .patch, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)" }, body: { _ in
            .object(["displayName": .string("Custom 2")])
        }),
        BodyCase(operation: "CreateCustomIntegrationKey", method: .post, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/keys" }, body: { _ in
            .object(["displayName": .string("Bot key")])
        }),
        BodyCase(operation: "CreateWebhook", method: .post, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks" }, body: { _ in
            .object(["target": .string("http://127.0.0.1:9/second"), "triggers": .array([.string("user:remove")]), "includeFullUser": .bool(true)])
        }),
        BodyCase(operation: "UpdateWebhook", method: .patch, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks/\($0.webhookId)" }, body: { _ in
            .object(["target": .string("http://127.0.0.1:9/third"), "triggers": .array([.string("conversation:read")])])
        }),
        BodyCase(operation: "CreateClient", method: .post, path: { "/v2/apps/\($0.appId)/users/steve/clients" }, body: { fixture in
            .object(["matchCriteria": .object(["type": .string("mailgun"), "integrationId": .string(fixture.mailgunId), "address": .string("steve@example.com"),
                                               "subject": .string("Hi"), "primary": .bool(true)]),
                     "confirmation": .object(["type": .string("immediate"), "message": .object([
                         "author": .object(["type": .string("business")]), "content": .object(["type": .string("text"), "text": .string("Linked")])])]),
                     "target": .object(["conversationId": .string(fixture.conversationId)])])
        }),
        BodyCase(operation: "UpdateSwitchboard", method: .patch, path: { "/v2/apps/\($0.appId)/switchboards/\($0.switchboardId)" }, body: { fixture in
            .object(["enabled": .bool(true), "defaultSwitchboardIntegrationId": .string(fixture.switchboardIntegrationId)])
        }),
        BodyCase(operation: "CreateSwitchboardIntegration", method: .post, path: { "/v2/apps/\($0.appId)/switchboards/\($0.switchboardId)/switchboardIntegrations" },
                 body: { fixture in
                     .object(["name": .string("agent"), "integrationId": .string(fixture.customId), "deliverStandbyEvents": .bool(false),
                              "nextSwitchboardIntegrationId": .string(fixture.switchboardIntegrationId), "messageHistoryCount": .integer(5)])
                 }),
        BodyCase(operation: "UpdateSwitchboardIntegration", method: .patch,
                 path: { "/v2/apps/\($0.appId)/switchboards/\($0.switchboardId)/switchboardIntegrations/\($0.switchboardIntegrationId)" },
                 body: { _ in .object(["name": .string("bot-2"), "deliverStandbyEvents": .bool(true), "messageHistoryCount": .null]) }),
        BodyCase(operation: "PassControl", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/passControl" }, body: { _ in
            .object(["switchboardIntegration": .string("next"), "metadata": .object(["lang": .string("en")])])
        }),
        BodyCase(operation: "OfferControl", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/offerControl" }, body: { _ in
            .object(["switchboardIntegration": .string("bot"), "metadata": .object(["priority": .integer(1)])])
        }),
        BodyCase(operation: "AcceptControl", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/acceptControl" }, body: { _ in
            .object(["metadata": .object(["by": .string("agent")])])
        }),
        BodyCase(operation: "ReleaseControl", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/releaseControl" }, body: { _ in
            .object(["metadata": .object(["done": .bool(true)])])
        }),
        BodyCase(operation: "DeleteAttachment", method: .post, path: { "/v2/apps/\($0.appId)/attachments/remove" }, body: { fixture in
            .object(["mediaUrl": .string(fixture.mediaUrl)])
        }),
        BodyCase(operation: "RedeliverWebhookEvents", method: .post,
                 path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks/\($0.webhookId)/redeliver" },
                 body: { _ in .object(["since": .string("2020-05-21T15:53:30.197Z")]) }),
        BodyCase(operation: "PostConversionEvents", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/conversionEvents" },
                 body: { _ in
                     .object(["messenger": .object(["payload": .object(["data": .array([.object([
                         "event_name": .string("Purchase"), "event_time": .integer(1_790_000_000)])])])])])
                 }, reachesSuccess: false),
        BodyCase(operation: "DownloadMessageRef", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/download" },
                 body: { _ in
                     .object(["userId": .string("steve"), "apple": .object(["interactiveDataRef": .object([
                         "url": .string("https://p61-content.icloud.com/x"), "bid": .string("b"), "key": .string("k"), "signature": .string("s"),
                         "owner": .string("o")])])])
                 }, reachesSuccess: false),
        BodyCase(operation: "SyncUser", method: .post, path: { "/v2/apps/\($0.appId)/users/35436/sync" }, body: { _ in
            .object(["survivingZendeskId": .string("35437")])
        }, reachesSuccess: false),
        BodyCase(operation: "GetToken", method: .post, path: { _ in "/oauth/token" }, body: { _ in
            .object(["grant_type": .string("authorization_code"), "code": .string("c0de"), "client_id": .string("0123456789abcdef01234567"),
                     "client_secret": .string("s3cret")])
        }, reachesSuccess: false),
    ]

    /// Keys any body might carry: the samples' own, and the spec's other field names.
    static let vocabulary: [String] = {
        let extra = ["type", "text", "content", "author", "userId", "userExternalId", "participantId", "metadata", "profile", "email", "givenName",
                     "surname", "avatarUrl", "locale", "signedUpAt", "externalId", "displayName", "description", "iconUrl", "participants",
                     "subscribeSDKClient", "triggers", "target", "includeFullUser", "includeFullSource", "webhooks", "matchCriteria", "confirmation",
                     "conversationId", "integrationId", "address", "primary", "destination", "override", "schema", "settings", "since", "eventId",
                     "brandId", "identities", "phoneNumber", "apiKey", "domain", "incomingAddress", "signingKey", "markdownText", "htmlText",
                     "actions", "items", "mediaUrl", "subtypes", "message", "prompt", "value", "enabled", "defaultSwitchboardIntegrationId",
                     "name", "integrationType", "deliverStandbyEvents", "nextSwitchboardIntegrationId", "messageHistoryCount", "switchboardIntegration",
                     "mediaUrl"]
        let fixture = Fixture(appId: "a", appKey: .init(id: "k", secret: "s", scope: .app), conversationId: "c", groupId: "g", mailgunId: "m",
                              customId: "i", webhookId: "w", switchboardId: "s", switchboardIntegrationId: "si", mediaUrl: "m")
        return Array(bodyCases.reduce(into: Set(extra)) { $0.formUnion(HostileJSON.keys(of: $1.body(fixture))) }).sorted()
    }()

    static let contentTypes = ["application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON", "text/plain", "", "application/json;",
                               "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json\u{0}"]

    /// A request body near `sample`: the structure mutated, the text damaged, a content replaced
    /// by another type's, or hostile JSON of any shape.
    static func body(_ sample: JSONValue, _ random: inout FuzzRandom) -> [UInt8] {
        switch random.below(20) {
        case 0, 1: return Array(HostileJSON.text(sample).utf8)
        case 2, 3, 4, 5, 6, 7, 8:
            return Array(HostileJSON.text(HostileJSON.mutate(sample, &random, keys: vocabulary)).utf8)
        case 9:
            // Content of every type, for the operations that carry one (PostMessage, CreateClient's confirmation).
            guard case .object(var fields) = sample else { return [] }
            let content = HostileJSON.mutate(random.pick(DomainRulesFuzzTests.contents), &random, keys: DomainRulesFuzzTests.contentKeys)
            fields["content"] = content
            return Array(HostileJSON.text(.object(fields)).utf8)
        case 10, 11, 12, 13, 14, 15:
            return Hostile.mutate(Array(HostileJSON.text(sample).utf8), &random, extra: Hostile.jsonFragments.map { Array($0.utf8) })
        case 16: return random.oneIn(20) ? Array(repeating: UInt8(ascii: " "), count: 100 * 1024 + 1) + Array(HostileJSON.text(sample).utf8) : []
        default: return HostileJSON.document(&random, samples: [sample])
        }
    }

    /// The checks every answer gets.
    static func check(_ response: FuzzResponse, _ report: FuzzReport, _ request: @autoclosure () -> String) {
        let status = response.status
        report.expect(status < 500 || status == 501 || status == 503, "\(status) \(String(decoding: response.body.prefix(300), as: UTF8.self)) for \(request())")
        if (400..<600).contains(status) {
            report.expect(response.isErrorEnvelope, "\(status) without the error envelope: \(Fuzz.show(response.body)) for \(request())")
        }
        if (200..<300).contains(status), !response.body.isEmpty {
            guard let json = response.json else {
                report.fail("\(status) whose body is not JSON: \(Fuzz.show(response.body)) for \(request())")
                return
            }
            if let field = HostileJSON.nulField(json) { report.fail("\(status) whose \(field) holds U+0000, for \(request())") }
        }
    }

    @Test("Every operation with a JSON body, sent mutated bodies: below 500, 4xx in the envelope, no NUL kept")
    func bodies() async throws {
        let cases = Self.requests
        let (report, tally) = try await FuzzServer.run { api in
            let fixture = try await Self.fixture(api)
            let tally = StatusTally()
            let report = try await Fuzz.run("HTTP bodies", cases: cases, filter: "HTTPFuzzTests/bodies") { random, report in
                let operation = random.pick(Self.bodyCases)
                let body = Self.body(operation.body(fixture), &random)
                let contentType = random.oneIn(12) ? random.pick(Self.contentTypes) : "application/json"
                // Mostly the account key; now and then the app's own key (other scopes, other checks).
                let authorization = random.oneIn(5) ? FuzzServer.basic(fixture.appKey.id, fixture.appKey.secret) : FuzzServer.accountBasic
                let path = operation.path(fixture)
                report.trace("\(operation.operation) \(contentType) \(Fuzz.show(body))")
                let response = try await api.send(operation.method, path, body: body, contentType: contentType, authorization: authorization)
                tally.record(operation.operation, response.status)
                report.count("\(response.status / 100)xx")
                Self.check(response, report, "\(operation.method) \(path) \(contentType) \(Fuzz.show(body))")
            }
            return (report, tally)
        }
        Fuzz.log(tally.summary("HTTP bodies"))
        // Each operation must also have been reached with bodies it takes.
        for operation in Self.bodyCases.filter(\.reachesSuccess).map(\.operation) where report.isFullRun {
            let successes = tally.counts[operation]?.filter { (200..<300).contains($0.key) }.values.reduce(0, +) ?? 0
            #expect(successes > 0, "\(operation) never answered 2xx: the generator does not reach its rules")
        }
    }

    /// GET operations whose path, query and Authorization are generated.
    static func getRequest(_ fixture: Fixture, _ random: inout FuzzRandom) -> (String, String) {
        func parameter(_ valid: String) -> String { random.oneIn(2) ? valid : RoutingFuzzTests.parameter(&random) }
        let app = parameter(fixture.appId)
        let targets: [(String, String)] = [
            ("GetApp", "/v2/apps/\(app)"), ("ListApps", "/v2/apps"), ("ListAppKeys", "/v2/apps/\(app)/keys"),
            ("ListUsers", "/v2/apps/\(app)/users"), ("GetUser", "/v2/apps/\(app)/users/\(parameter("steve"))"),
            ("ListClients", "/v2/apps/\(app)/users/\(parameter("steve"))/clients"),
            ("ListConversations", "/v2/apps/\(app)/conversations"),
            ("GetConversation", "/v2/apps/\(app)/conversations/\(parameter(fixture.conversationId))"),
            ("ListMessages", "/v2/apps/\(app)/conversations/\(parameter(fixture.conversationId))/messages"),
            ("ListParticipants", "/v2/apps/\(app)/conversations/\(parameter(fixture.groupId))/participants"),
            ("ListIntegrations", "/v2/apps/\(app)/integrations"),
            ("GetIntegration", "/v2/apps/\(app)/integrations/\(parameter(fixture.mailgunId))"),
            ("ListWebhookDeliveries", "/v2/apps/\(app)/integrations/\(parameter(fixture.customId))/webhooks/\(parameter(fixture.webhookId))/deliveries"),
        ]
        var (operation, path) = random.pick(targets)
        if random.oneIn(10) { path = Hostile.mutate(path, &random, extra: ["/", "//", "%", "%2F", "..", "\u{600}"]) }
        var query = ""
        if random.oneIn(2) {
            query = RoutingFuzzTests.query(&random)
            if random.oneIn(3) { query += "&filter[identities.email]=\(FormFieldsFuzzTests.encoded(Hostile.string(&random)))&type=mailgun,custom" }
        }
        let uri = (path + (query.isEmpty ? "" : "?" + query)).replacingOccurrences(of: "#", with: "%23")
        return (operation, uri)
    }

    @Test("GET operations with generated paths, query strings and Authorization headers: below 500, 4xx in the envelope")
    func reads() async throws {
        let cases = Self.requests
        let tally = try await FuzzServer.run { api in
            let fixture = try await Self.fixture(api)
            // Some messages and clients to list.
            for index in 0..<30 {
                _ = try await api.send(.post, "/v2/apps/\(fixture.appId)/conversations/\(fixture.conversationId)/messages", json: .object([
                    "author": .object(["type": .string("business")]), "content": .object(["type": .string("text"), "text": .string("m\(index)")]),
                ]))
            }
            let keys = [AuthenticatorFuzzTests.Key(id: FuzzServer.accountKeyId, secret: FuzzServer.accountSecret, scope: .account), fixture.appKey]
            let tally = StatusTally()
            try await Fuzz.run("HTTP reads", cases: cases, filter: "HTTPFuzzTests/reads") { random, report in
                let (operation, uri) = Self.getRequest(fixture, &random)
                let authorization: String? =
                    switch random.below(10) {
                    case 0: "Basic " + AuthenticatorFuzzTests.basic(&random, keys: keys)
                    case 1: "Bearer " + AuthenticatorFuzzTests.token(&random, keys: keys)
                    case 2: random.oneIn(4) ? nil : Hostile.string(&random)
                    case 3: FuzzServer.basic(fixture.appKey.id, fixture.appKey.secret)
                    default: FuzzServer.accountBasic
                    }
                report.trace("\(Fuzz.show(uri)) \(authorization.map(Fuzz.show) ?? "no Authorization")")
                let method: HTTPRequest.Method = random.oneIn(10) ? .head : .get
                let response = try await api.send(method, uri, authorization: authorization)
                tally.record(operation, response.status)
                report.count("\(response.status / 100)xx")
                let request = "\(method) \(Fuzz.show(uri)) with \(authorization.map(Fuzz.show) ?? "no Authorization")"
                if method == .head {
                    // No body to look at: the status only.
                    report.expect(response.status < 500 || response.status == 501 || response.status == 503, "\(response.status) for \(request)")
                } else {
                    Self.check(response, report, request)
                }
            }
            return tally
        }
        Fuzz.log(tally.summary("HTTP reads"))
    }

    /// A form from fields, urlencoded or multipart.
    static func form(_ fields: [(String, String)], multipart: Bool, _ random: inout FuzzRandom) -> (contentType: String, body: [UInt8]) {
        guard multipart else {
            return ("application/x-www-form-urlencoded", Array(fields.map { "\(FormFieldsFuzzTests.encoded($0.0))=\(FormFieldsFuzzTests.encoded($0.1))" }.joined(separator: "&").utf8))
        }
        let boundary = "fuzz\(random.next())"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    static let senders = ["Jane Doe <Jane@Example.com>", "jane@example.com", "<a@b>", "\"B, Steve\" <steveb@channel5.com>", "steve@example.com", "x@y@z", "a@b.c"]

    @Test("Mailgun's inbound endpoints, sent hostile forms and event webhooks, some correctly signed: below 500, 4xx in the envelope")
    func inbound() async throws {
        let cases = Self.requests
        let tally = try await FuzzServer.run { api in
            let fixture = try await Self.fixture(api)
            let tally = StatusTally()
            try await Fuzz.run("HTTP inbound", cases: cases, filter: "HTTPFuzzTests/inbound") { random, report in
                let integration = random.oneIn(20) ? random.pick([fixture.customId, "000000000000000000000000", "zz", fixture.appId]) : fixture.mailgunId
                let app = random.oneIn(30) ? random.pick(["000000000000000000000000", "x", fixture.appId.uppercased()]) : fixture.appId
                let events = random.oneIn(3)
                let endpoint = random.oneIn(30) ? random.pick(["other", "", "messages/x", "%6Dessages"]) : (events ? "events" : "messages")
                let uri = "/v2/apps/\(app)/integrations/\(integration)/inbound/\(endpoint)"
                // Signed now with the integration's key, or not quite.
                var timestamp = String(Int(Date().timeIntervalSince1970))
                if random.oneIn(8) { timestamp = random.pick(["1e400", "nan", "-inf", "0", "１７９０００００００", String(Int(Date().timeIntervalSince1970) - 3600), Hostile.number(&random)]) }
                let token = random.oneIn(5) ? Hostile.string(&random) : String(random.next(), radix: 36)
                var signature = MailgunFuzzTests.sign(timestamp, token, key: Self.mailgunKey)
                if random.oneIn(8) { signature = random.oneIn(2) ? MailgunFuzzTests.sign(timestamp, token, key: "other") : Hostile.mutate(signature, &random) }
                let contentType: String
                var body: [UInt8]
                if events {
                    var eventData: [String: JSONValue] = [
                        "event": .string(random.pick(["delivered", "failed", "opened", ""])), "severity": .string(random.pick(["permanent", "temporary"])),
                        "user-variables": .object(["parley-job": .string(random.pick(["5f8e0a1b2c3d4e5f60718293", fixture.conversationId, "x", ""]))]),
                        "delivery-status": .object(["description": .string("Bounced"), "message": .string("550 No such user")]),
                    ]
                    if random.oneIn(2) {
                        guard case .object(let mutated) = HostileJSON.mutate(.object(eventData), &random, keys: Array(eventData.keys) + ["parley-job", "message"])
                        else { return }
                        eventData = mutated
                    }
                    var root: JSONValue = .object([
                        "signature": .object(["timestamp": .string(timestamp), "token": .string(token), "signature": .string(signature)]),
                        "event-data": .object(eventData),
                    ])
                    if random.oneIn(6) { root = HostileJSON.mutate(root, &random, keys: ["signature", "event-data", "timestamp", "token"]) }
                    body = Array(HostileJSON.text(root).utf8)
                    contentType = random.oneIn(10) ? random.pick(Self.contentTypes) : "application/json"
                } else {
                    var fields: [(String, String)] = [
                        ("recipient", random.pick(["inbox+\(fixture.conversationId)@mg.example.com", "inbox@mg.example.com", Hostile.string(&random)])),
                        ("from", random.oneIn(3) ? Hostile.text(from: Self.senders, &random, extra: ["<", ">", "@"]) : random.pick(Self.senders)),
                        ("subject", Hostile.string(&random)),
                        (random.pick(["body-plain", "stripped-text"]), Hostile.text(from: MailgunFuzzTests.quotedSamples, &random)),
                        ("Message-Id", random.oneIn(3) ? "<fixed@example.com>" : "<\(random.next())@example.com>"),
                        ("timestamp", timestamp), ("token", token), ("signature", signature),
                    ]
                    if random.oneIn(4) { fields.append((Hostile.string(&random), Hostile.string(&random))) }
                    if random.oneIn(6) { fields.removeAll { $0.0 == random.pick(["from", "timestamp", "signature", "recipient"]) } }
                    (contentType, body) = Self.form(fields, multipart: random.oneIn(3), &random)
                }
                if random.oneIn(6) { body = Hostile.mutate(body, &random, extra: ["&", "=", "%", "--", "\r\n"].map { Array($0.utf8) }) }
                let sentType = random.oneIn(15) ? Hostile.mutate(contentType, &random, extra: [";", "boundary=", "\""]) : contentType
                report.trace("\(uri) \(Fuzz.show(sentType)) \(Fuzz.show(body))")
                let response = try await api.send(.post, uri, body: body, contentType: sentType, authorization: nil)
                tally.record(events ? "events" : "messages", response.status)
                report.count("\(response.status)")
                Self.check(response, report, "POST \(uri) \(Fuzz.show(sentType)) \(Fuzz.show(body))")
            }
            return tally
        }
        Fuzz.log(tally.summary("HTTP inbound"))
        if Fuzz.onlyCase == nil, Fuzz.cases >= 1000 {
            #expect((tally.counts["messages"]?[200] ?? 0) > 0, "no forward was stored: the generator does not reach InboundService")
            #expect((tally.counts["events"]?[200] ?? 0) > 0, "no event was read")
        }
    }
}

import Foundation
import Hummingbird
import Testing

@testable import ParleyDomain
@testable import ParleyHTTP

/// The web messenger's calls and the inbox's sign-in, which take requests from anyone on the web:
/// mutated bodies, damaged session tokens and hostile `before` values, through the whole server.
/// Every answer below 500, every 4xx in the envelope. And `SessionTokens.verify`: a damaged token
/// is refused, never read as other claims.
@Suite("Fuzz: web messenger")
struct MessengerFuzzTests {
    static var requests: Int { max(1, Fuzz.cases / 6) }

    struct Fixture: Sendable {
        let integrationId: String
        let session: String
        let conversationId: String
        let appKey: AuthenticatorFuzzTests.Key
    }

    static func fixture(_ api: FuzzClient) async throws -> Fixture {
        let appId = try await api.create("/v2/apps", .object(["displayName": .string("Fuzz web")]), "app", "id")
        let key = try await api.send(.post, "/v2/apps/\(appId)/keys", json: .object(["displayName": .string("fuzz")]))
        guard let keyId = key.string("key", "id"), let secret = key.string("key", "secret") else { throw FuzzFixtureError(description: "app key") }
        let integrationId = try await api.create(
            "/v2/apps/\(appId)/integrations", .object(["type": .string("web"), "canUserCreateMoreConversations": .bool(true)]), "integration", "id")
        let started = try await api.send(
            .post, "/web/\(integrationId)/sessions", body: Array(#"{"device":{"guid":"0123456789abcdef0123456789abcdef"}}"#.utf8), authorization: nil)
        guard let session = started.string("session") else { throw FuzzFixtureError(description: "session") }
        let conversation = try await api.send(.post, "/web/\(integrationId)/conversations", body: Array("{}".utf8), authorization: "Bearer \(session)")
        guard let conversationId = conversation.string("conversation", "id") else { throw FuzzFixtureError(description: "conversation") }
        return Fixture(integrationId: integrationId, session: session, conversationId: conversationId, appKey: .init(id: keyId, secret: secret, scope: .app))
    }

    struct Call: Sendable {
        let name: String
        let method: HTTPRequest.Method
        let path: @Sendable (Fixture) -> String
        let body: @Sendable (Fixture) -> JSONValue
        /// Whether the call carries the messenger's session.
        var session = true
    }

    static let calls: [Call] = [
        Call(name: "StartSession", method: .post, path: { "/web/\($0.integrationId)/sessions" }, body: { _ in
            .object(["device": .object(["guid": .string("fedcba9876543210fedcba9876543210"), "info": .object(["browserLanguage": .string("en")])])])
        }, session: false),
        Call(name: "CreateConversation", method: .post, path: { "/web/\($0.integrationId)/conversations" }, body: { _ in
            .object(["displayName": .string("Order")])
        }),
        Call(name: "PostMessage", method: .post, path: { "/web/\($0.integrationId)/conversations/\($0.conversationId)/messages" }, body: { _ in
            .object(["content": .object(["type": .string("text"), "text": .string("Hello")]), "metadata": .object(["k": .string("v")])])
        }),
        Call(name: "PostFormResponse", method: .post, path: { "/web/\($0.integrationId)/conversations/\($0.conversationId)/messages" }, body: { _ in
            .object(["content": .object([
                "type": .string("formResponse"),
                "fields": .array([
                    .object(["type": .string("text"), "name": .string("n"), "label": .string("Name"), "text": .string("Ada")]),
                    .object(["type": .string("email"), "name": .string("e"), "label": .string("Email"), "email": .string("a@b.example")]),
                    .object(["type": .string("select"), "name": .string("s"), "label": .string("Size"),
                             "select": .array([.object(["name": .string("m"), "label": .string("M")])])]),
                ]),
            ])])
        }),
        Call(name: "Activity", method: .post, path: { "/web/\($0.integrationId)/conversations/\($0.conversationId)/activity" }, body: { _ in
            .object(["type": .string("typing:start")])
        }),
        Call(name: "Postback", method: .post, path: { "/web/\($0.integrationId)/conversations/\($0.conversationId)/postback" }, body: { _ in
            .object(["payload": .string("BUY"), "metadata": .object(["sku": .string("1")])])
        }),
        Call(name: "InboxSignIn", method: .post, path: { _ in "/inbox/sessions" }, body: { fixture in
            .object(["keyId": .string(fixture.appKey.id), "secret": .string(fixture.appKey.secret)])
        }, session: false),
    ]

    static let vocabulary = ["device", "guid", "info", "jwt", "content", "type", "text", "metadata", "fields", "name", "label", "email", "select",
                             "payload", "actionId", "displayName", "keyId", "secret", "mediaUrl", "quotedMessageId"]

    @Test("The messenger's calls and the inbox's sign-in, sent mutated bodies and damaged sessions: below 500, 4xx in the envelope")
    func calls() async throws {
        let tally = try await FuzzServer.run { api in
            let fixture = try await Self.fixture(api)
            let tally = StatusTally()
            _ = try await Fuzz.run("messenger calls", cases: Self.requests, filter: "MessengerFuzzTests/calls") { random, report in
                let call = random.pick(Self.calls)
                var body = HTTPFuzzTests.body(call.body(fixture), &random)
                if random.oneIn(8) { body = Array(HostileJSON.text(HostileJSON.mutate(call.body(fixture), &random, keys: Self.vocabulary)).utf8) }
                var authorization: String? = call.session ? "Bearer \(fixture.session)" : nil
                if random.oneIn(5) { authorization = "Bearer " + Hostile.mutate(fixture.session, &random, extra: [".", "pst1.", "=", "+", "/"]) }
                var path = call.path(fixture)
                if random.oneIn(10) { path = Hostile.mutate(path, &random, extra: ["/", "%", "..", "\u{600}"]).replacingOccurrences(of: "#", with: "%23") }
                report.trace("\(call.name) \(path) \(Fuzz.show(body))")
                let response = try await api.send(call.method, path, body: body, authorization: authorization)
                tally.record(call.name, response.status)
                HTTPFuzzTests.check(response, report, "\(call.method) \(path) \(Fuzz.show(body))")
            }
            // Reads with hostile cursors and sessions.
            _ = try await Fuzz.run("messenger reads", cases: Self.requests, filter: "MessengerFuzzTests/calls") { random, report in
                let before = FormFieldsFuzzTests.encoded(Hostile.string(&random))
                let path = random.pick([
                    "/web/\(fixture.integrationId)/conversations/\(fixture.conversationId)/messages?before=\(before)",
                    "/web/\(fixture.integrationId)/conversations", "/web/\(fixture.integrationId)/session", "/web/\(fixture.integrationId)/config",
                    "/inbox/conversations?search=\(before)&offset=\(FormFieldsFuzzTests.encoded(Hostile.number(&random)))",
                ])
                let authorization = random.oneIn(3) ? "Bearer " + Hostile.mutate(fixture.session, &random, extra: [".", "pst1."]) : "Bearer \(fixture.session)"
                report.trace(path)
                let response = try await api.send(.get, path, authorization: authorization)
                tally.record("GET", response.status)
                HTTPFuzzTests.check(response, report, "GET \(path)")
            }
            return tally
        }
        Fuzz.log(tally.summary("messenger"))
    }

    @Test("SessionTokens.verify: a damaged token is refused; only the signed bytes read as their claims")
    func tokens() async throws {
        let tokens = SessionTokens(serverKey: Array(repeating: 9, count: 32))
        let other = SessionTokens(serverKey: Array(repeating: 8, count: 32))
        let ids = ResourceIDGenerator()
        let now = Timestamp(millisecondsSince1970: 1_800_000_000_000)
        try await Fuzz.run("session tokens", cases: Fuzz.cases, filter: "MessengerFuzzTests/tokens") { random, report in
            let claims: SessionClaims = random.oneIn(2)
                ? .web(WebSession(appId: ids.next(), integrationId: ids.next(), userId: ids.next(), clientId: ids.next(), deviceId: ids.next()))
                : .inbox(keyId: KeyID(scope: .app, id: ids.next()), appId: ids.next(), expiresAt: 1_800_000_000 + Int64(random.below(1000)) - 500)
            let token = try tokens.sign(claims)
            let damaged = Hostile.mutate(token, &random, extra: [".", "pst1.", "=", "+", "/", "-", "_", "A"])
            report.trace(damaged)
            let verified = tokens.verify(damaged, now: now)
            if damaged == token {
                let expired = (claims.expiresAt ?? .max) <= 1_800_000_000
                report.expect(verified == (expired ? nil : claims), "the signed token reads as its claims (or is refused once expired)")
            } else if let verified {
                // Each part must be the one spelling of its bytes, so a changed token is another token.
                report.fail("a damaged token was accepted as \(verified): \(damaged)")
            }
            report.expect(other.verify(token, now: now) == nil, "another server key's token is refused")
        }
    }
}

import Foundation
import HTTPTypes
import Testing

/// Text never holds U+0000: PostgreSQL's text cannot store it and SQLite's C interface ends text
/// at it, so a value stored with one would differ from the value answered (an externalId
/// `steve\0a` stored as `steve`, and `steve\0b` then colliding with it). Every text field a body
/// carries is refused with 400 instead, on both engines; a key holding it names nothing (404);
/// fields Parley does not read are ignored, NUL or not.
@Suite("Text holding U+0000")
struct NULTextTests {
    /// One request of every operation that takes a JSON body, valid as written.
    struct Case: CustomStringConvertible, Sendable {
        let operation: String
        let method: HTTPRequest.Method
        let path: @Sendable (Fixture) -> String
        let body: @Sendable (Fixture) -> [String: Any]
        var description: String { operation }

        /// Fields with a closed set of values, refused by their own rule.
        static let closedSets: Set<String> = ["since", "triggers[0]", "type", "author.type", "content.type", "confirmation.type",
            "matchCriteria.type", "confirmation.message.author.type", "confirmation.message.content.type", "signedUpAt"]

        /// The fields of this body that hold free text.
        var freeText: Set<String> {
            Set(NULTextTests.variants(of: body(Fixture(appId: "", conversationId: "", groupId: "", mailgunId: "", customId: "", webhookId: ""))).map(\.field))
                .subtracting(Self.closedSets)
        }
    }

    struct Fixture: Sendable {
        let appId: String
        let conversationId: String
        let groupId: String
        let mailgunId: String
        let customId: String
        let webhookId: String
    }

    static let cases: [Case] = [
        Case(operation: "CreateApp", method: .post, path: { _ in "/v2/apps" }, body: { _ in
            ["displayName": "App", "metadata": ["team": "blue"]]
        }),
        Case(operation: "UpdateApp", method: .patch, path: { "/v2/apps/\($0.appId)" }, body: { _ in
            ["displayName": "Renamed", "metadata": ["team": "red"]]
        }),
        Case(operation: "CreateAppKey", method: .post, path: { "/v2/apps/\($0.appId)/keys" }, body: { _ in ["displayName": "Key"] }),
        Case(operation: "CreateUser", method: .post, path: { "/v2/apps/\($0.appId)/users" }, body: { _ in
            ["externalId": "sue", "signedUpAt": "2020-05-21T15:53:30.197Z", "metadata": ["plan": "gold"],
             "profile": ["givenName": "Sue", "surname": "Doe", "email": "sue@example.com", "avatarUrl": "https://example.com/a.png", "locale": "en-US"]]
        }),
        Case(operation: "UpdateUser", method: .patch, path: { "/v2/apps/\($0.appId)/users/steve" }, body: { _ in
            ["metadata": ["plan": "gold"], "profile": ["givenName": "Steve", "email": "steve@example.com", "locale": "en-US"]]
        }),
        Case(operation: "CreateConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations" }, body: { _ in
            ["type": "sdkGroup", "displayName": "Room", "description": "A room", "iconUrl": "https://example.com/i.png",
             "metadata": ["topic": "x"], "participants": [["userExternalId": "steve"]]]
        }),
        Case(operation: "UpdateConversation", method: .patch, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)" }, body: { _ in
            ["displayName": "Room 2", "description": "Another", "metadata": ["topic": "y"]]
        }),
        Case(operation: "JoinConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)/join" }, body: { _ in
            ["userExternalId": "ana"]
        }),
        Case(operation: "LeaveConversation", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.groupId)/leave" }, body: { _ in
            ["userExternalId": "steve"]
        }),
        Case(operation: "PostMessage", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/messages" }, body: { _ in
            ["author": ["type": "business", "displayName": "Support"], "content": ["type": "text", "text": "Hello"], "metadata": ["k": "v"]]
        }),
        Case(operation: "PostActivity", method: .post, path: { "/v2/apps/\($0.appId)/conversations/\($0.conversationId)/activity" }, body: { _ in
            ["author": ["type": "user", "userExternalId": "steve"], "type": "conversation:read"]
        }),
        Case(operation: "CreateIntegration", method: .post, path: { "/v2/apps/\($0.appId)/integrations" }, body: { _ in
            ["type": "mailgun", "displayName": "Mail", "apiKey": "key-1", "domain": "mg2.example.com", "incomingAddress": "in@mg2.example.com"]
        }),
        Case(operation: "UpdateIntegration", method: .patch, path: { "/v2/apps/\($0.appId)/integrations/\($0.mailgunId)" }, body: { _ in
            ["displayName": "Mail 2"]
        }),
        Case(operation: "CreateCustomIntegrationKey", method: .post, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/keys" }, body: { _ in
            ["displayName": "Bot key"]
        }),
        Case(operation: "CreateWebhook", method: .post, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks" }, body: { _ in
            ["target": "https://example.com/second", "triggers": ["user:remove"]]
        }),
        Case(operation: "UpdateWebhook", method: .patch, path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks/\($0.webhookId)" },
             body: { _ in ["target": "https://example.com/third", "triggers": ["conversation:read"]] }),
        Case(operation: "CreateClient", method: .post, path: { "/v2/apps/\($0.appId)/users/steve/clients" }, body: { fixture in
            ["matchCriteria": ["type": "mailgun", "integrationId": fixture.mailgunId, "address": "steve@example.com", "subject": "Hi"],
             "confirmation": ["type": "immediate", "message": ["author": ["type": "business"], "content": ["type": "text", "text": "Linked"]]],
             "target": ["conversationId": fixture.conversationId]]
        }),
        Case(operation: "RedeliverWebhookEvents", method: .post,
             path: { "/v2/apps/\($0.appId)/integrations/\($0.customId)/webhooks/\($0.webhookId)/redeliver" },
             body: { _ in ["since": "2020-05-21T15:53:30.197Z"] }),
    ]

    /// Every string value in `value`, each as its path and a copy of `value` with a NUL in that one
    /// string.
    static func variants(of value: Any, path: String = "") -> [(field: String, body: Any)] {
        switch value {
        case let text as String:
            return [(path, text + "\u{0}x")]
        case let object as [String: Any]:
            var result: [(String, Any)] = []
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                for variant in variants(of: child, path: childPath) {
                    var copy = object
                    copy[key] = variant.body
                    result.append((variant.field, copy))
                }
            }
            return result
        case let array as [Any]:
            var result: [(String, Any)] = []
            for (index, child) in array.enumerated() {
                for variant in variants(of: child, path: "\(path)[\(index)]") {
                    var copy = array
                    copy[index] = variant.body
                    result.append((variant.field, copy))
                }
            }
            return result
        default:
            return []
        }
    }

    static func fixture(_ api: APIClient) async throws -> Fixture {
        let appId = try await api.createApp()
        let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
        _ = try await api.createUser(appId: appId, ["externalId": "ana"])
        let group = try await api.post(
            "/v2/apps/\(appId)/conversations", ["type": "sdkGroup", "participants": [["userExternalId": "steve"]]])
        let mailgun = try await api.post(
            "/v2/apps/\(appId)/integrations",
            ["type": "mailgun", "apiKey": "key-1", "domain": "mg.example.com", "incomingAddress": "in@mg.example.com"])
        let custom = try await api.post(
            "/v2/apps/\(appId)/integrations",
            ["type": "custom", "webhooks": [["target": "https://example.com/hook", "triggers": ["conversation:message"]]]])
        let customIntegration = try #require(custom.object["integration"])
        return Fixture(
            appId: appId, conversationId: conversationId,
            groupId: try #require(group.object["conversation"]?["id"] as? String),
            mailgunId: try #require(mailgun.object["integration"]?["id"] as? String),
            customId: try #require(customIntegration["id"] as? String),
            webhookId: try #require((customIntegration["webhooks"] as? [[String: Any]])?.first?["id"] as? String))
    }

    @Test("Every text field of every JSON body refuses U+0000 with a 400 naming the field; fields Parley ignores may hold it", arguments: cases)
    func bodies(_ testCase: Case) async throws {
        try await TestServer.run { api in
            let fixture = try await Self.fixture(api)
            let valid = testCase.body(fixture)
            let method = testCase.method
            for variant in Self.variants(of: valid) {
                let body = String(decoding: try JSONSerialization.data(withJSONObject: variant.body), as: UTF8.self)
                #expect(body.contains("\\u0000"), "\(variant.field): \(body)")
                let response = try await api.call(method, testCase.path(fixture), body: body)
                #expect(response.status == 400, "\(testCase) \(variant.field): \(response.text)")
                #expect(response.errorCode == "bad_request")
                // Free text says why; a field with a closed set of values (a trigger, a type, a
                // datetime) may be refused by its own rule first. Either way the title names it.
                #expect(response.errorTitle.hasPrefix(variant.field), "\(response.text)")
                if testCase.freeText.contains(variant.field) {
                    #expect(response.errorTitle == "\(variant.field) must not contain the NUL character (U+0000)", "\(response.text)")
                }
            }
            // The refusals came before any change: the valid body still does what it should, also
            // with a field Parley does not know, which it ignores whatever it holds.
            var withUnknown = valid
            // (UpdateIntegration refuses any field its type cannot update: docs/DECISIONS.md.)
            if testCase.operation != "UpdateIntegration" { withUnknown["unknown\u{0}field"] = ["x\u{0}y": "\u{0}"] }
            let accepted = try await api.call(method, testCase.path(fixture), json: withUnknown)
            #expect((200..<300).contains(accepted.status), "\(testCase): \(accepted.text)")
        }
    }

    @Test("What was answered is what is stored: two externalIds that differ after a NUL are both refused, never collide")
    func noCollision() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            for externalId in ["steve\u{0}a", "steve\u{0}b"] {
                let response = try await api.post("/v2/apps/\(appId)/users", ["externalId": externalId])
                #expect(response.status == 400, "\(response.text)")
            }
            #expect(try await api.get("/v2/apps/\(appId)/users/steve").status == 404)
            let body = #"{"externalId": "steve\u0000a"}"#
            #expect(try await api.call(.post, "/v2/apps/\(appId)/users", body: body).status == 400)
            // An escaped backslash followed by u0000 is text, not NUL.
            let literal = try await api.call(.post, "/v2/apps/\(appId)/users", body: #"{"externalId": "steve\\u0000a"}"#)
            #expect(literal.status == 201, "\(literal.text)")
            #expect(literal.object["user"]?["externalId"] as? String == #"steve\u0000a"#)
            // A raw NUL byte is not JSON at all.
            #expect(try await api.call(.post, "/v2/apps/\(appId)/users", body: "{\"externalId\": \"a\u{0}b\"}").errorTitle
                == "The request body is not valid JSON")
            // A metadata key is text Parley keeps.
            let key = try await api.call(.post, "/v2/apps/\(appId)/users", body: #"{"externalId": "m", "metadata": {"a\u0000b": 1}}"#)
            #expect(key.status == 400 && key.errorTitle.contains("metadata key"), "\(key.text)")
        }
    }

    @Test("Path parameters are percent-decoded; a key holding %00, in the path or the query, names nobody; invalid UTF-8 in the path is 400")
    func pathAndQuery() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "ana@example.com"])
            _ = try await api.createUser(appId: appId, ["externalId": "steve"])
            // What every SDK sends for an externalId with reserved characters.
            let encoded = try await api.get("/v2/apps/\(appId)/users/ana%40example.com")
            #expect(encoded.status == 200 && encoded.object["user"]?["externalId"] as? String == "ana@example.com", "\(encoded.text)")
            // SQLite compares text only up to a NUL: without the rule, steve%00x found steve.
            for path in ["/v2/apps/\(appId)/users/steve%00x", "/v2/apps/\(appId)/users/steve%00", "/v2/apps/\(appId)/users/steve?brandId=%00"] {
                for response in [try await api.get(path), try await api.delete(path), try await api.patch(path, ["profile": ["givenName": "Mallory"]])] {
                    #expect(response.status == 404 && response.errorCode == "user_not_found", "\(path): \(response.text)")
                }
            }
            let malformed = try await api.get("/v2/apps/\(appId)/users/%FF")
            #expect(malformed.status == 400 && malformed.errorCode == "bad_request", "\(malformed.text)")
            let listed = try await api.get("/v2/apps/\(appId)/users?filter[identities.email]=a%00b")
            #expect(listed.status == 200 && listed.list("users").isEmpty, "\(listed.text)")
            // A parameter Parley does not read is ignored, whatever it holds.
            #expect(try await api.get("/v2/apps/\(appId)/users/steve?unknown%00=%00").status == 200)
            let steve = try await api.get("/v2/apps/\(appId)/users/steve")
            #expect(steve.status == 200 && (steve.object["user"]?["profile"] as? [String: Any])?["givenName"] == nil)
        }
    }
}

import Foundation
import Hummingbird
import JWTKit
import Testing

/// The web messenger's and the agent inbox's HTTP side (docs/MESSENGER.md): their pages and
/// files, anonymous and signed-in sessions with the `sdk` client and devices they record,
/// conversations, messages, activity and postbacks in the user's name, and the inbox's sign-in,
/// list and session as an API credential.
@Suite("Web messenger and inbox")
struct WebMessengerTests {
    static let guid = "0123456789abcdef0123456789abcdef"

    struct Fixture {
        let api: APIClient
        let appId: String
        let integrationId: String
        let inbox: WebhookInbox
        var base: String { "/web/\(integrationId)" }

        func startSession(guid: String = WebMessengerTests.guid, jwt: String? = nil) async throws -> APIResponse {
            var body: [String: Any] = ["device": ["guid": guid, "info": ["browserLanguage": "en", "currentUrl": "https://shop.example/"]]]
            if let jwt { body["jwt"] = jwt }
            return try await api.call(.post, "\(base)/sessions", json: body, anonymous: true)
        }

        func call(_ method: HTTPRequest.Method, _ path: String, _ json: Any? = nil, session: String) async throws -> APIResponse {
            try await api.call(method, base + path, json: json, authorization: "Bearer \(session)")
        }
    }

    static let triggers = ["conversation:message", "conversation:typing", "conversation:read", "conversation:postback", "client:add"]

    static func withMessenger(settings: [String: Any] = [:], _ test: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let inbox = WebhookInbox()
        try await inbox.start()
        defer { inbox.stop() }
        // Sendable across the server's closure as bytes.
        let extra = try JSONSerialization.data(withJSONObject: settings)
        try await TestServer.run { api in
            let appId = try await api.createApp("Web Shop")
            let hook = try await api.post("/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [["target": inbox.target("hook"), "triggers": triggers]]])
            #expect(hook.status == 201, "\(hook.text)")
            var body: [String: Any] = ["type": "web", "businessName": "Web Shop", "brandColor": "2a6f97"]
            body.merge((try JSONSerialization.jsonObject(with: extra)) as? [String: Any] ?? [:]) { $1 }
            let created = try await api.post("/v2/apps/\(appId)/integrations", body)
            #expect(created.status == 201, "\(created.text)")
            let integrationId = try #require(created.object["integration"]?["id"] as? String)
            try await test(Fixture(api: api, appId: appId, integrationId: integrationId, inbox: inbox))
        }
    }

    @Test("pages, files and settings are served, framed only where they may be")
    func pages() async throws {
        try await Self.withMessenger(settings: ["originWhitelist": ["https://shop.example"]]) { fixture in
            let page = try await fixture.api.call(.get, fixture.base, anonymous: true)
            #expect(page.status == 200 && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("messenger-app.js"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors https://shop.example") == true)
            let config = try await fixture.api.call(.get, "\(fixture.base)/config", anonymous: true)
            #expect(config.status == 200)
            #expect(config.object["integration"]?["brandColor"] as? String == "2a6f97")
            #expect(config.object["integration"]?["businessName"] as? String == "Web Shop")
            #expect(config.object["app"]?["displayName"] as? String == "Web Shop")
            #expect(config.headers[.accessControlAllowOrigin] == "*", "the embed script reads it from the host page")
            let script = try await fixture.api.call(.get, "/messenger.js", anonymous: true)
            #expect(script.status == 200 && script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(try await fixture.api.call(.get, "/assets/render.js", anonymous: true).status == 200)
            #expect(try await fixture.api.call(.get, "/assets/secrets.txt", anonymous: true).status == 404)
            let inboxPage = try await fixture.api.call(.get, "/inbox", anonymous: true)
            #expect(inboxPage.status == 200 && inboxPage.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            // Only web integrations have a messenger.
            let custom = try await fixture.api.get("/v2/apps/\(fixture.appId)/integrations")
            let customId = try #require(custom.list("integrations").first { $0["type"] as? String == "custom" }?["id"] as? String)
            let none = try await fixture.api.call(.get, "/web/\(customId)/config", anonymous: true)
            #expect(none.status == 404 && none.text.contains("integration_not_found"))
            #expect(try await fixture.api.call(.get, "/web/not-an-id", anonymous: true).status == 404)
        }
    }

    @Test("an anonymous session makes a user, an sdk client and a device the API shows")
    func anonymousSession() async throws {
        try await Self.withMessenger { fixture in
            let started = try await fixture.startSession()
            #expect(started.status == 201, "\(started.text)")
            let session = try #require(started.json["session"] as? String)
            let userId = try #require(started.object["user"]?["id"] as? String)
            #expect(started.object["client"]?["type"] as? String == "sdk")
            #expect(started.object["client"]?["integrationId"] == nil, "the spec: unused for sdk clients")
            #expect(started.object["device"]?["guid"] as? String == Self.guid)
            #expect(started.object["device"]?["integrationId"] as? String == fixture.integrationId)

            let resumed = try await fixture.call(.get, "/session", session: session)
            #expect(resumed.status == 200 && resumed.object["user"]?["id"] as? String == userId)

            let clients = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/clients")
            #expect(clients.list("clients").map { $0["type"] as? String } == ["sdk"])
            let devices = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/devices")
            let device = try #require(devices.list("devices").first)
            #expect(device["type"] as? String == "web" && device["status"] as? String == "active" && device["guid"] as? String == Self.guid)
            #expect((device["info"] as? [String: Any])?["browserLanguage"] as? String == "en")
            #expect(device["clientId"] as? String == clients.list("clients").first?["id"] as? String)
            let deviceId = try #require(device["id"] as? String)
            let one = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/devices/\(deviceId)")
            #expect(one.status == 200 && one.object["device"]?["id"] as? String == deviceId)
            let missing = try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(userId)/devices/0123456789abcdef01234567")
            #expect(missing.status == 404 && missing.text.contains("device_not_found"))
            let clientId = try #require(clients.list("clients").first?["id"] as? String)
            #expect(try await fixture.api.delete("/v2/apps/\(fixture.appId)/users/\(userId)/clients/\(clientId)").status == 400)
            try await fixture.api.server.settle()
            #expect(fixture.inbox.types("hook").contains("client:add"))

            // Deleting the user ends the session.
            #expect(try await fixture.api.delete("/v2/apps/\(fixture.appId)/users/\(userId)").status == 200)
            #expect(try await fixture.call(.get, "/session", session: session).status == 401)
            #expect(try await fixture.call(.get, "/session", session: "pst1.e30.AAAA").status == 401)
            #expect(try await fixture.startSession(guid: "short").status == 400)
            let nested = try await fixture.api.call(
                .post, "\(fixture.base)/sessions", json: ["device": ["guid": Self.guid, "info": ["screen": ["width": 1]]]], anonymous: true)
            #expect(nested.status == 400, "device.info is a flat object: \(nested.text)")
        }
    }

    @Test("loginWithJWT: a JWT signed by an app key signs the browser in as the user with that externalId")
    func signedIn() async throws {
        try await Self.withMessenger { fixture in
            let anonymous = try await fixture.startSession()
            let anonymousId = try #require(anonymous.object["user"]?["id"] as? String)
            let key = try await fixture.api.createAppKey(appId: fixture.appId)
            let jwt = try await Self.userJWT(kid: key.id, secret: key.secret, claims: ["scope": "user", "external_id": "steve"])
            let signedIn = try await fixture.startSession(jwt: jwt)
            #expect(signedIn.status == 201, "\(signedIn.text)")
            #expect(signedIn.object["user"]?["externalId"] as? String == "steve")
            #expect(signedIn.object["user"]?["authenticated"] as? Bool == true)
            let steveId = try #require(signedIn.object["user"]?["id"] as? String)
            // The same browser: its device moved to steve's client.
            #expect(try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(anonymousId)/devices").list("devices").isEmpty)
            #expect(try await fixture.api.get("/v2/apps/\(fixture.appId)/users/\(steveId)/devices").list("devices").count == 1)
            let oldSession = try #require(anonymous.json["session"] as? String)
            #expect(try await fixture.call(.get, "/session", session: oldSession).status == 401, "the device is no longer the anonymous user's")
            // Signing in again finds the same user; the older spelling works too.
            let again = try await fixture.startSession(
                guid: "ffffffffffffffffffffffffffffffff", jwt: try await Self.userJWT(kid: key.id, secret: key.secret, claims: ["scope": "appUser", "userId": "steve"]))
            #expect(again.object["user"]?["id"] as? String == steveId)

            let otherApp = try await fixture.api.createApp("Other")
            let otherKey = try await fixture.api.createAppKey(appId: otherApp)
            for (jwt, why) in [
                (try await Self.userJWT(kid: otherKey.id, secret: otherKey.secret, claims: ["scope": "user", "external_id": "steve"]), "another app's key"),
                (try await Self.userJWT(kid: key.id, secret: key.secret, claims: ["scope": "app", "external_id": "steve"]), "the wrong scope"),
                (try await Self.userJWT(kid: key.id, secret: key.secret, claims: ["scope": "user"]), "no external_id"),
                (try await Self.userJWT(kid: key.id, secret: "not-the-secret-of-this-key-at-all-no", claims: ["scope": "user", "external_id": "x"]), "a bad signature"),
                (try await Self.userJWT(kid: key.id, secret: key.secret, claims: ["scope": "user", "external_id": "x", "exp": 1_000_000]), "expired"),
            ] {
                #expect(try await fixture.startSession(jwt: jwt).status == 401, "\(why)")
            }
        }
    }

    static func userJWT(kid: String, secret: String, claims: [String: Any]) async throws -> String {
        struct Claims: JWTPayload {
            var scope: String?
            var external_id: String?
            var userId: String?
            var exp: ExpirationClaim?
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        var header = JWTHeader()
        header.kid = kid
        return try await keys.sign(
            Claims(
                scope: claims["scope"] as? String, external_id: claims["external_id"] as? String, userId: claims["userId"] as? String,
                exp: (claims["exp"] as? Int).map { ExpirationClaim(value: Date(timeIntervalSince1970: TimeInterval($0))) }),
            header: header)
    }

    @Test("conversations, messages, activity and postbacks in the user's name")
    func conversing() async throws {
        try await Self.withMessenger { fixture in
            let session = try #require(try await fixture.startSession().json["session"] as? String)
            let created = try await fixture.call(.post, "/conversations", [:], session: session)
            #expect(created.status == 201, "\(created.text)")
            let conversationId = try #require(created.object["conversation"]?["id"] as? String)
            let second = try await fixture.call(.post, "/conversations", [:], session: session)
            #expect(second.status == 403, "canUserCreateMoreConversations is not set")
            let listed = try await fixture.call(.get, "/conversations", session: session)
            #expect(listed.list("conversations").map { $0["id"] as? String } == [conversationId])

            let path = "/conversations/\(conversationId)"
            let text = try await fixture.call(.post, "\(path)/messages", ["content": ["type": "text", "text": "Hello"]], session: session)
            #expect(text.status == 201, "\(text.text)")
            let message = try #require(text.list("messages").first)
            #expect((message["author"] as? [String: Any])?["type"] as? String == "user")
            #expect((message["source"] as? [String: Any])?["type"] as? String == "web")
            let form = try await fixture.call(.post, "\(path)/messages", [
                "content": ["type": "formResponse", "fields": [
                    ["type": "text", "name": "name", "label": "Your name", "text": "Ada"],
                    ["type": "select", "name": "size", "label": "Size", "select": [["name": "m", "label": "Medium"]]],
                ]],
            ], session: session)
            #expect(form.status == 201, "\(form.text)")
            let answered = (form.list("messages").first?["content"] as? [String: Any])
            #expect(answered?["textFallback"] as? String == "Your name: Ada\nSize: Medium")
            let carousel = try await fixture.call(
                .post, "\(path)/messages", ["content": ["type": "carousel", "items": [["title": "x", "actions": [["type": "link", "text": "a", "uri": "https://a.example"]]]]]],
                session: session)
            #expect(carousel.status == 400, "a person does not send carousels")
            // The API still refuses formResponse.
            let viaAPI = try await fixture.api.post("/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages", [
                "author": ["type": "business"], "content": ["type": "formResponse", "fields": [["type": "text", "name": "n", "label": "N", "text": "x"]]],
            ])
            #expect(viaAPI.status == 400)

            let page = try await fixture.call(.get, "\(path)/messages", session: session)
            #expect(page.list("messages").count == 2)
            #expect((page.json["seq"] as? Int ?? 0) >= 3, "create and two messages are numbered")
            let oldest = try #require(page.list("messages").first?["id"] as? String)
            let before = try await fixture.call(.get, "\(path)/messages?before=\(oldest)", session: session)
            #expect(before.status == 200 && before.list("messages").isEmpty)

            #expect(try await fixture.call(.post, "\(path)/activity", ["type": "typing:start"], session: session).status == 200)
            #expect(try await fixture.call(.post, "\(path)/activity", ["type": "conversation:read"], session: session).status == 200)
            #expect(try await fixture.call(.post, "\(path)/activity", ["type": "dancing"], session: session).status == 400)
            #expect(try await fixture.call(.post, "\(path)/postback", ["payload": "BUY_NOW", "metadata": ["sku": "42"]], session: session).status == 200)
            #expect(try await fixture.call(.post, "\(path)/postback", [:], session: session).status == 400)

            try await fixture.api.server.settle()
            let events = fixture.inbox.events("hook")
            let typing = try #require(events.first { $0["type"] as? String == "conversation:typing" })
            let activity = (typing["payload"] as? [String: Any])?["activity"] as? [String: Any]
            #expect(activity?["type"] as? String == "typing:start")
            #expect((activity?["source"] as? [String: Any])?["type"] as? String == "web", "the messenger's source: \(typing)")
            #expect(events.contains { $0["type"] as? String == "conversation:read" })
            let postback = try #require(events.first { $0["type"] as? String == "conversation:postback" })
            #expect(((postback["payload"] as? [String: Any])?["postback"] as? [String: Any])?["payload"] as? String == "BUY_NOW")

            // Business messages to a messenger user queue no channel job: the messenger reads them live.
            let reply = try await fixture.api.postText(appId: fixture.appId, conversationId: conversationId, "Hi Ada")
            #expect(reply.status == 201)
            try await fixture.api.server.settle()
            #expect(!fixture.inbox.types("hook").contains("conversation:message:delivery:failure"))
        }
    }

    @Test("more conversations when the integration allows it")
    func moreConversations() async throws {
        try await Self.withMessenger(settings: ["canUserCreateMoreConversations": true]) { fixture in
            let session = try #require(try await fixture.startSession().json["session"] as? String)
            for _ in 0..<2 { #expect(try await fixture.call(.post, "/conversations", ["displayName": "Order"], session: session).status == 201) }
            #expect(try await fixture.call(.get, "/conversations", session: session).list("conversations").count == 2)
            // A name the store cannot keep as given is refused, as the v2 API refuses it (found by MessengerFuzzTests).
            let nul = try await fixture.call(.post, "/conversations", ["displayName": "Or\u{0}der"], session: session)
            #expect(nul.status == 400)
            #expect(nul.errorTitle.contains("U+0000"))
        }
    }

    @Test("the messenger uploads files as attachments and sends them")
    func upload() async throws {
        try await Self.withMessenger { fixture in
            let session = try #require(try await fixture.startSession().json["session"] as? String)
            let conversationId = try #require(try await fixture.call(.post, "/conversations", [:], session: session).object["conversation"]?["id"] as? String)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)
            let uploaded = try await fixture.api.call(
                .post, "\(fixture.base)/attachments", bytes: AttachmentsTests.multipart(file: png, fileName: "photo.png", type: "image/png"),
                contentType: "multipart/form-data; boundary=\(AttachmentsTests.boundary)", authorization: "Bearer \(session)")
            #expect(uploaded.status == 201, "\(uploaded.text)")
            let mediaUrl = try #require(uploaded.object["attachment"]?["mediaUrl"] as? String)
            let sent = try await fixture.call(
                .post, "/conversations/\(conversationId)/messages", ["content": ["type": "image", "mediaUrl": mediaUrl]], session: session)
            #expect(sent.status == 201, "\(sent.text)")
            #expect((sent.list("messages").first?["content"] as? [String: Any])?["mediaSize"] as? Int == png.count)
            let anonymous = try await fixture.api.call(
                .post, "\(fixture.base)/attachments", bytes: AttachmentsTests.multipart(file: png, fileName: "photo.png", type: "image/png"),
                contentType: "multipart/form-data; boundary=\(AttachmentsTests.boundary)", anonymous: true)
            #expect(anonymous.status == 401)
        }
    }

    @Test("the inbox signs in with an app key; its session acts for that key until the key is deleted")
    func inbox() async throws {
        try await Self.withMessenger { fixture in
            let session = try #require(try await fixture.startSession().json["session"] as? String)
            let conversationId = try #require(try await fixture.call(.post, "/conversations", [:], session: session).object["conversation"]?["id"] as? String)
            _ = try await fixture.call(.post, "/conversations/\(conversationId)/messages", ["content": ["type": "text", "text": "Help!"]], session: session)

            let key = try await fixture.api.createAppKey(appId: fixture.appId)
            #expect(try await fixture.api.call(.post, "/inbox/sessions", json: ["keyId": key.id, "secret": "wrong"], anonymous: true).status == 401)
            let account = try await fixture.api.call(
                .post, "/inbox/sessions", json: ["keyId": TestServer.accountKeyId, "secret": TestServer.accountSecret], anonymous: true)
            #expect(account.status == 401, "the inbox is an app's")
            let signIn = try await fixture.api.call(.post, "/inbox/sessions", json: ["keyId": key.id, "secret": key.secret], anonymous: true)
            #expect(signIn.status == 201, "\(signIn.text)")
            let token = try #require(signIn.json["session"] as? String)
            #expect(!signIn.text.contains(key.secret))
            let bearer = "Bearer \(token)"

            let list = try await fixture.api.call(.get, "/inbox/conversations", authorization: bearer)
            #expect(list.status == 200, "\(list.text)")
            let row = try #require(list.list("conversations").first)
            #expect((row["conversation"] as? [String: Any])?["id"] as? String == conversationId)
            #expect(row["unreadCount"] as? Int == 1)
            #expect(row["channel"] as? String == "web")
            #expect(((row["lastMessage"] as? [String: Any])?["content"] as? [String: Any])?["text"] as? String == "Help!")
            #expect(list.json["meta"] as? [String: Any] != nil)
            #expect(try await fixture.api.call(.get, "/inbox/conversations?search=nobody", authorization: bearer).list("conversations").isEmpty)

            // The session is a Bearer credential for the v2 API, for this app only.
            let read = try await fixture.api.call(.get, "/v2/apps/\(fixture.appId)/conversations/\(conversationId)/messages", authorization: bearer)
            #expect(read.status == 200)
            let activity = try await fixture.api.call(
                .post, "/v2/apps/\(fixture.appId)/conversations/\(conversationId)/activity", json: ["author": ["type": "business"], "type": "conversation:read"],
                authorization: bearer)
            #expect(activity.status == 200)
            #expect(try await fixture.api.call(.get, "/inbox/conversations", authorization: bearer).list("conversations").first?["unreadCount"] as? Int == 0)
            let otherApp = try await fixture.api.createApp("Other")
            #expect(try await fixture.api.call(.get, "/v2/apps/\(otherApp)/conversations?filter[userId]=x", authorization: bearer).status == 403)
            #expect(try await fixture.api.call(.get, "/inbox/conversations", authorization: "Bearer \(session)").status == 401, "a messenger session is not the inbox's")

            // Deleting the key ends its sessions at once.
            #expect(try await fixture.api.delete("/v2/apps/\(fixture.appId)/keys/\(key.id)").status == 200)
            #expect(try await fixture.api.call(.get, "/inbox/conversations", authorization: bearer).status == 401)
            #expect(try await fixture.api.call(.get, "/v2/apps/\(fixture.appId)/conversations/\(conversationId)", authorization: bearer).status == 401)
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The OAuth flow end to end over real sockets, as a partner's server and its user's browser make
/// it: register a client, open the consent page, sign in, allow, follow the redirect, exchange the
/// code, call the API with the token, revoke it.
@Suite("OAuth", .serialized)
struct OAuthTests {
    static let redirect = "https://partner.example/callback"

    /// A browser (and a partner's server) that does not follow redirects, so each hop is checked.
    struct Web {
        let base: String
        let http: HTTPClient

        struct Answer {
            let status: Int
            let headers: HTTPHeaders
            let text: String
            var location: String? { headers.first(name: "Location") }
            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
            /// The consent page's hidden ticket.
            var ticket: String? {
                guard let range = text.range(of: #"name="ticket" value="([^"]*)""#, options: .regularExpression) else { return nil }
                return text[range].split(separator: "\"").dropFirst(3).first.map(String.init)
            }
        }

        func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Answer {
            var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            // Generous: the whole suite shares two cores, and some requests wait minutes for them.
            let response = try await http.execute(request, timeout: .seconds(300))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            return Answer(status: Int(response.status.code), headers: response.headers, text: text)
        }

        func form(_ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) async throws -> Answer {
            let body = fields.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
            return try await send(.POST, path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: body)
        }

        func json(_ method: HTTPMethod, _ path: String, _ object: Any? = nil, authorization: String? = nil) async throws -> Answer {
            var headers = authorization.map { [("Authorization", $0)] } ?? []
            var body: String?
            if let object {
                headers.append(("Content-Type", "application/json"))
                body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }
            return try await send(method, path, headers: headers, body: body)
        }

        static func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
        }
    }

    static func withWeb(_ test: @escaping @Sendable (APIClient, Web) async throws -> Void) async throws {
        try await TestServer.run(live: true) { api in
            let port = try #require(api.client.port)
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            do {
                try await test(api, Web(base: "http://127.0.0.1:\(port)", http: http))
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    /// `GET /oauth/authorize`, which (as the spec's 302) sends the browser on to the consent page.
    static func open(_ web: Web, _ query: String) async throws -> Web.Answer {
        let found = try await web.send(.GET, "/oauth/authorize?\(query)")
        #expect(found.status == 302, "\(found.text)")
        let location = try #require(found.location)
        #expect(location.hasPrefix("/oauth/consent?ticket="))
        return try await web.send(.GET, location)
    }

    static func registerClient(_ web: Web, redirectURIs: [String] = [redirect, "com.partner.app:/oauth"]) async throws -> (id: String, secret: String) {
        let created = try await web.json(.POST, "/admin/oauthClients", ["name": "Partner <CRM>", "redirectUris": redirectURIs], authorization: TestServer.account.basic)
        #expect(created.status == 201, "\(created.text)")
        let client = try #require(created.json["oauthClient"] as? [String: Any])
        return (try #require(client["id"] as? String), try #require(client["secret"] as? String))
    }

    /// From the consent page to the redirect's query: signs in with `credentials`, allows `appId`.
    static func authorize(
        _ web: Web, clientId: String, appId: String, as credentials: Credentials = TestServer.account, redirectURI: String? = redirect,
        state: String = "xyz/+ 1"
    ) async throws -> [String: String] {
        var query = "response_type=code&client_id=\(clientId)&state=\(Web.encoded(state))"
        if let redirectURI { query += "&redirect_uri=\(Web.encoded(redirectURI))" }
        let page = try await open(web, query)
        #expect(page.status == 200)
        #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        // The client's name is shown escaped.
        #expect(page.text.contains("Partner &lt;CRM&gt;") && !page.text.contains("Partner <CRM>"))
        let signedIn = try await web.form("/oauth/consent", [("ticket", try #require(page.ticket)), ("keyId", credentials.id), ("secret", credentials.secret)])
        #expect(signedIn.status == 200, "\(signedIn.text)")
        #expect(signedIn.text.contains(appId))
        let decided = try await web.form("/oauth/consent", [("ticket", try #require(signedIn.ticket)), ("appId", appId), ("decision", "allow")])
        #expect(decided.status == 302)
        return try redirectQuery(of: try #require(decided.location), expectedBase: redirectURI ?? redirect)
    }

    static func redirectQuery(of location: String, expectedBase: String) throws -> [String: String] {
        #expect(location.hasPrefix(expectedBase + "?"), "\(location)")
        let components = try #require(URLComponents(string: location))
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
    }

    static func exchange(_ web: Web, code: String, client: (id: String, secret: String), redirectURI: String? = redirect) async throws -> Web.Answer {
        var body: [String: Any] = ["code": code, "grant_type": "authorization_code", "client_id": client.id, "client_secret": client.secret]
        if let redirectURI { body["redirect_uri"] = redirectURI }
        return try await web.json(.POST, "/oauth/token", body)
    }

    @Test("The whole dance: consent, code, token, API calls with app scope, token info, revocation at once")
    func dance() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp("Granted")
            let otherApp = try await api.createApp("Not granted")
            let client = try await Self.registerClient(web)
            let redirect = try await Self.authorize(web, clientId: client.id, appId: appId)
            #expect(redirect["state"] == "xyz/+ 1")
            let code = try #require(redirect["code"])

            // The authorization request named its redirect URI: the exchange must repeat it.
            let withoutURI = try await Self.exchange(web, code: code, client: client, redirectURI: nil)
            #expect(withoutURI.status == 400 && withoutURI.json["error"] as? String == "invalid_grant")
            let wrongSecret = try await Self.exchange(web, code: code, client: (client.id, "not-the-secret"))
            #expect(wrongSecret.status == 401 && wrongSecret.json["error"] as? String == "invalid_client")
            #expect(wrongSecret.headers.first(name: "WWW-Authenticate") != nil)

            // Extra members are allowed, whatever JSON they hold (a number the fast parser leaves to Foundation too).
            let extra = try await web.send(
                .POST, "/oauth/token", headers: [("Content-Type", "application/json")],
                body: #"{"grant_type":"authorization_code","code":"\#(code)","client_id":"\#(client.id)","client_secret":"\#(client.secret)","extra":1e21}"#)
            #expect(extra.status == 400 && extra.json["error"] as? String == "invalid_grant", "\(extra.text)")
            let exchanged = try await Self.exchange(web, code: code, client: client)
            #expect(exchanged.status == 200, "\(exchanged.text)")
            #expect(exchanged.headers.first(name: "Cache-Control") == "no-store")
            #expect(exchanged.json["token_type"] as? String == "Bearer")
            let token = try #require(exchanged.json["access_token"] as? String)
            let bearer = "Bearer \(token)"

            // App scope on the granted app, nothing elsewhere.
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: bearer).status == 200)
            let user = try await web.json(.POST, "/v2/apps/\(appId)/users", ["externalId": "via-oauth"], authorization: bearer)
            #expect(user.status == 201)
            #expect(try await web.json(.GET, "/v2/apps/\(otherApp)", authorization: bearer).status == 403)
            #expect(try await web.json(.GET, "/v2/apps", authorization: bearer).status == 403)

            let info = try await web.json(.GET, "/v2/tokenInfo", authorization: bearer)
            #expect(info.status == 200)
            #expect((info.json["app"] as? [String: Any])?["id"] as? String == appId)
            #expect((info.json["app"] as? [String: Any])?["displayName"] as? String == "Granted")

            // The grant is one of the app's keys, named after the client.
            let keys = try await api.get("/v2/apps/\(appId)/keys")
            #expect(keys.list("keys").contains { $0["displayName"] as? String == "OAuth: Partner <CRM>" })

            let revoked = try await web.json(.DELETE, "/oauth/authorization", authorization: bearer)
            #expect(revoked.status == 200 && revoked.text == "{}")
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: bearer).status == 401)
            #expect(try await web.json(.GET, "/v2/tokenInfo", authorization: bearer).status == 401)
        }
    }

    @Test("A code works once: a second exchange fails and revokes the token the first gave")
    func codeReplay() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp()
            let client = try await Self.registerClient(web)
            let code = try #require(try await Self.authorize(web, clientId: client.id, appId: appId)["code"])
            let first = try await Self.exchange(web, code: code, client: client)
            let token = try #require(first.json["access_token"] as? String)
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: "Bearer \(token)").status == 200)
            let second = try await Self.exchange(web, code: code, client: client)
            #expect(second.status == 400 && second.json["error"] as? String == "invalid_grant")
            #expect((second.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "invalid_grant")
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: "Bearer \(token)").status == 401)
        }
    }

    @Test("A code expires after ten minutes; another client cannot exchange it")
    func codeExpiryAndBinding() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp()
            let client = try await Self.registerClient(web)
            let other = try await Self.registerClient(web)
            let code = try #require(try await Self.authorize(web, clientId: client.id, appId: appId)["code"])
            let stolen = try await Self.exchange(web, code: code, client: other)
            #expect(stolen.status == 400 && stolen.json["error"] as? String == "invalid_grant")
            api.server.advance(by: 601)
            let late = try await Self.exchange(web, code: code, client: client)
            #expect(late.status == 400 && late.json["error"] as? String == "invalid_grant", "\(late.text)")
        }
    }

    @Test("RFC 6749's form body with Basic client credentials; the first redirect URI when none is named")
    func formAndBasic() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp()
            let client = try await Self.registerClient(web)
            let redirect = try await Self.authorize(web, clientId: client.id, appId: appId, redirectURI: nil)
            let code = try #require(redirect["code"])
            let basic = "Basic " + Data("\(client.id):\(client.secret)".utf8).base64EncodedString()
            let answer = try await web.form("/oauth/token", [("grant_type", "authorization_code"), ("code", code)], headers: [("Authorization", basic)])
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.headers.first(name: "Pragma") == "no-cache")
            let unsupported = try await web.form(
                "/oauth/token", [("grant_type", "client_credentials")], headers: [("Authorization", basic)])
            #expect(unsupported.status == 400 && unsupported.json["error"] as? String == "unsupported_grant_type")
        }
    }

    @Test("Errors before the client is known are shown, never redirected; later ones go back to the client with its state")
    func authorizeErrors() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp()
            let client = try await Self.registerClient(web)
            let unknownClient = try await web.send(.GET, "/oauth/authorize?response_type=code&client_id=0123456789abcdef01234567")
            #expect(unknownClient.status == 400 && unknownClient.location == nil)
            let foreignRedirect = try await web.send(
                .GET, "/oauth/authorize?response_type=code&client_id=\(client.id)&redirect_uri=\(Web.encoded("https://evil.example/"))")
            #expect(foreignRedirect.status == 400 && foreignRedirect.location == nil)
            let implicit = try await web.send(.GET, "/oauth/authorize?response_type=token&client_id=\(client.id)&state=s1")
            #expect(implicit.status == 302)
            let implicitQuery = try Self.redirectQuery(of: try #require(implicit.location), expectedBase: Self.redirect)
            #expect(implicitQuery["error"] == "unsupported_response_type" && implicitQuery["state"] == "s1")

            let longState = try await web.send(.GET, "/oauth/authorize?response_type=code&client_id=\(client.id)&state=\(String(repeating: "s", count: 513))")
            let longStateQuery = try Self.redirectQuery(of: try #require(longState.location), expectedBase: Self.redirect)
            #expect(longStateQuery["error"] == "invalid_request" && longStateQuery["state"] == nil)

            // Deny.
            let page = try await Self.open(web, "response_type=code&client_id=\(client.id)&state=s2")
            let signedIn = try await web.form(
                "/oauth/consent", [("ticket", try #require(page.ticket)), ("keyId", TestServer.accountKeyId), ("secret", TestServer.accountSecret)])
            let denied = try await web.form("/oauth/consent", [("ticket", try #require(signedIn.ticket)), ("appId", appId), ("decision", "deny")])
            let deniedQuery = try Self.redirectQuery(of: try #require(denied.location), expectedBase: Self.redirect)
            #expect(deniedQuery["error"] == "access_denied" && deniedQuery["state"] == "s2" && deniedQuery["code"] == nil)

            // A wrong secret shows the sign-in again; a forged or altered ticket is refused.
            let wrong = try await web.form("/oauth/consent", [("ticket", try #require(page.ticket)), ("keyId", TestServer.accountKeyId), ("secret", "nope")])
            #expect(wrong.status == 401 && wrong.ticket != nil)
            #expect(try await web.send(.GET, "/oauth/consent?ticket=poc1.forged.x").status == 400)
            let forged = try await web.form("/oauth/consent", [("ticket", (page.ticket ?? "") + "x"), ("appId", appId), ("decision", "allow")])
            #expect(forged.status == 400 && forged.location == nil)
            // A ticket from before sign-in cannot decide.
            let unsigned = try await web.form("/oauth/consent", [("ticket", try #require(page.ticket)), ("appId", appId), ("decision", "allow")])
            #expect(unsigned.status == 400 && unsigned.location == nil)
        }
    }

    @Test("An app key signs in for its own app only; the client's deletion revokes its tokens")
    func appKeyOwnerAndClientDeletion() async throws {
        try await Self.withWeb { api, web in
            let appId = try await api.createApp("Mine")
            let otherApp = try await api.createApp("Theirs")
            let key = try await api.createAppKey(appId: appId)
            let client = try await Self.registerClient(web)

            let page = try await Self.open(web, "response_type=code&client_id=\(client.id)")
            let signedIn = try await web.form("/oauth/consent", [("ticket", try #require(page.ticket)), ("keyId", key.id), ("secret", key.secret)])
            #expect(signedIn.text.contains(appId) && !signedIn.text.contains(otherApp))
            let refused = try await web.form("/oauth/consent", [("ticket", try #require(signedIn.ticket)), ("appId", otherApp), ("decision", "allow")])
            #expect(refused.status == 403)

            let code = try #require(try await Self.authorize(web, clientId: client.id, appId: appId, as: key)["code"])
            let token = try #require(try await Self.exchange(web, code: code, client: client).json["access_token"] as? String)
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: "Bearer \(token)").status == 200)

            let listed = try await web.json(.GET, "/admin/oauthClients", authorization: TestServer.account.basic)
            let clients = try #require(listed.json["oauthClients"] as? [[String: Any]])
            #expect(clients.contains { $0["id"] as? String == client.id && $0["secret"] == nil })
            #expect(try await web.json(.GET, "/admin/oauthClients", authorization: key.basic).status == 403)
            #expect(try await web.json(.DELETE, "/admin/oauthClients/\(client.id)", authorization: TestServer.account.basic).status == 200)
            #expect(try await web.json(.GET, "/v2/apps/\(appId)", authorization: "Bearer \(token)").status == 401)
            #expect(try await web.json(.DELETE, "/admin/oauthClients/\(client.id)", authorization: TestServer.account.basic).status == 404)
        }
    }

    @Test("GetTokenInfo describes app and integration keys too, and refuses account keys; RevokeAccess refuses API keys")
    func tokenInfoAndRevokeForKeys() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp("Described")
            let key = try await api.createAppKey(appId: appId)
            let info = try await api.as_(key).get("/v2/tokenInfo")
            #expect(info.status == 200 && info.object["app"]?["id"] as? String == appId)
            #expect(try await api.get("/v2/tokenInfo").status == 403)
            #expect(try await api.call(.get, "/v2/tokenInfo", anonymous: true).status == 401)
            let revoke = try await api.as_(key).delete("/oauth/authorization")
            #expect(revoke.status == 403)
            #expect(try await api.as_(key).get("/v2/apps/\(appId)").status == 200)
        }
    }

    @Test("Client registration checks its fields")
    func registration() async throws {
        try await TestServer.run { (api: APIClient) async throws in
            #expect(try await api.post("/admin/oauthClients", ["name": "x"]).status == 400)
            #expect(try await api.post("/admin/oauthClients", ["name": "x", "redirectUris": ["not a uri"]]).status == 400)
            #expect(try await api.post("/admin/oauthClients", ["name": "x", "redirectUris": ["https://a.example/#frag"]]).status == 400)
            #expect(try await api.post("/admin/oauthClients", ["redirectUris": ["https://a.example/"]]).status == 400)
            #expect(try await api.call(.post, "/admin/oauthClients", json: ["name": "x", "redirectUris": ["https://a.example/"]], anonymous: true).status == 401)
        }
    }
}

import Foundation
import HTTPTypes
import Testing

@Suite("Authentication and authorization")
struct AuthenticationTests {
    @Test("No Authorization header is 401 unauthorized with the envelope")
    func missingCredentials() async throws {
        try await TestServer.run { api in
            let response = try await api.call(.get, "/v2/apps", anonymous: true)
            #expect(response.status == 401)
            #expect(response.errorCode == "unauthorized")
            #expect(response.headers[.wwwAuthenticate] != nil)
        }
    }

    @Test("Basic with an unknown key, a wrong secret, garbage or another scheme is 401")
    func badBasicCredentials() async throws {
        try await TestServer.run { api in
            let attempts = [
                Credentials(id: "act_ffffffffffffffffffffffff", secret: TestServer.accountSecret).basic,
                Credentials(id: TestServer.accountKeyId, secret: "wrong").basic,
                Credentials(id: TestServer.accountKeyId, secret: TestServer.accountSecret + "x").basic,
                "Basic not-base64!!",
                "Basic " + Data("no-colon".utf8).base64EncodedString(),
                "Digest whatever",
                "Basic",
            ]
            for authorization in attempts {
                let response = try await api.call(.get, "/v2/apps", authorization: authorization)
                #expect(response.status == 401, "\(authorization)")
                #expect(response.errorCode == "unauthorized")
            }
        }
    }

    @Test("The scheme's case does not matter and blanks around the credentials are ignored; a longer scheme name is refused")
    func schemeSpelling() async throws {
        try await TestServer.run { api in
            let encoded = String(Credentials(id: TestServer.accountKeyId, secret: TestServer.accountSecret).basic.dropFirst("Basic ".count))
            for authorization in ["basic \(encoded)", "BASIC \(encoded)", "bAsIc    \(encoded) \t "] {
                let response = try await api.call(.get, "/v2/apps", authorization: authorization)
                #expect(response.status == 200, "\(authorization)")
            }
            for authorization in ["Basics \(encoded)", "Basi \(encoded)", "Basic\t\(encoded)"] {
                let response = try await api.call(.get, "/v2/apps", authorization: authorization)
                #expect(response.status == 401, "\(authorization)")
            }
        }
    }

    @Test("A JWT signed HS256 with the key's secret, kid and scope is accepted")
    func validJWT() async throws {
        try await TestServer.run { api in
            let token = try await Tokens.sign(kid: TestServer.accountKeyId, secret: TestServer.accountSecret, scope: "account")
            let response = try await api.call(.get, "/v2/apps", authorization: "Bearer \(token)")
            #expect(response.status == 200)
        }
    }

    @Test("Unsigned, non-HS256, wrongly signed, kid-less, unknown-kid, wrong-scope and expired JWTs are 401")
    func badJWTs() async throws {
        try await TestServer.run { api in
            let id = TestServer.accountKeyId
            let secret = TestServer.accountSecret
            let tokens = [
                Tokens.unsigned(kid: id, scope: "account"),
                // HS512 needs a 64-byte key; the server must refuse the algorithm before it looks at the key.
                try await Tokens.sign(kid: id, secret: secret + secret, scope: "account", digest: .sha512),
                try await Tokens.sign(kid: id, secret: secret + "-other-secret", scope: "account"),
                try await Tokens.sign(kid: nil, secret: secret, scope: "account"),
                try await Tokens.sign(kid: "act_ffffffffffffffffffffffff", secret: secret, scope: "account"),
                try await Tokens.sign(kid: id, secret: secret, scope: "app"),
                try await Tokens.sign(kid: id, secret: secret, scope: nil),
                try await Tokens.sign(kid: id, secret: secret, scope: "account", expires: Date(timeIntervalSinceNow: -60)),
                "not.a.jwt",
                "garbage",
            ]
            for token in tokens {
                let response = try await api.call(.get, "/v2/apps", authorization: "Bearer \(token)")
                #expect(response.status == 401, "\(token)")
                #expect(response.errorCode == "unauthorized")
            }
        }
    }

    @Test("An app key reaches its own app by Basic and JWT, and nothing else")
    func appKeyScope() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp("Mine")
            let otherAppId = try await api.createApp("Theirs")
            let key = try await api.createAppKey(appId: appId)
            let asApp = api.as_(key)

            #expect(try await asApp.get("/v2/apps/\(appId)").status == 200)
            let token = try await Tokens.sign(kid: key.id, secret: key.secret, scope: "app")
            #expect(try await asApp.call(.get, "/v2/apps/\(appId)", authorization: "Bearer \(token)").status == 200)
            #expect(try await asApp.createUser(appId: appId)["id"] != nil)

            // Another app, and operations reserved for account keys: 403 forbidden.
            for (method, path) in [
                (HTTPRequest.Method.get, "/v2/apps/\(otherAppId)"), (.get, "/v2/apps/\(otherAppId)/users?filter[identities.email]=a@b.c"),
                (.get, "/v2/apps"), (.post, "/v2/apps"), (.delete, "/v2/apps/\(appId)"), (.get, "/v2/apps/\(appId)/keys"),
                (.post, "/v2/apps/\(appId)/keys"), (.get, "/v2/apps/not-an-id"),
            ] {
                let response = try await asApp.call(method, path, json: ["displayName": "x"])
                #expect(response.status == 403, "\(method) \(path)")
                #expect(response.errorCode == "forbidden")
            }
        }
    }

    @Test("The account key reaches every app; a missing app is 404 app_not_found")
    func accountKeyScope() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            #expect(try await api.get("/v2/apps/\(appId)").status == 200)
            for path in ["/v2/apps/0123456789abcdef01234567", "/v2/apps/not-an-id", "/v2/apps/0123456789abcdef01234567/users/x"] {
                let response = try await api.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.errorCode == "app_not_found")
            }
        }
    }

    @Test("A deleted key, or a key of a deleted app, stops working at once")
    func revokedKeys() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let first = try await api.createAppKey(appId: appId)
            let second = try await api.createAppKey(appId: appId)
            #expect(try await api.as_(first).get("/v2/apps/\(appId)").status == 200)
            #expect(try await api.delete("/v2/apps/\(appId)/keys/\(first.id)").status == 200)
            #expect(try await api.as_(first).get("/v2/apps/\(appId)").status == 401)
            #expect(try await api.as_(second).get("/v2/apps/\(appId)").status == 200)
            #expect(try await api.delete("/v2/apps/\(appId)").status == 200)
            #expect(try await api.as_(second).get("/v2/apps/\(appId)").status == 401)
        }
    }
}

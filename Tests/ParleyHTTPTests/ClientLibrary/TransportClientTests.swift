import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: credentials, retries, idempotency and errors")
    struct TransportClientTests {
        /// A live server with a `FlakyProxy` in front; the client goes through the proxy.
        static func withProxy(retry: RetryPolicy = ClientLibrary.fastRetry, _ test: @escaping @Sendable (SunshineClient, FlakyProxy, SunshineClient) async throws -> Void)
            async throws
        {
            try await TestServer.run(live: true) { api in
                let proxy = FlakyProxy(upstream: try ClientLibrary.baseURL(api))
                try await proxy.start()
                defer { proxy.stop() }
                let direct = try ClientLibrary.client(api)
                try await test(SunshineClient(baseURL: proxy.url, credentials: ClientLibrary.account, retry: retry, timeout: .seconds(300)), proxy, direct)
            }
        }

        @Test("JWT credentials: account and app scopes are signed HS256 with kid; a bearer token works; a wrong secret or scope is 401")
        func jwt() async throws {
            try await TestServer.run(live: true) { api in
                let account = try ClientLibrary.client(api, .jwt(keyId: TestServer.accountKeyId, secret: TestServer.accountSecret, scope: .account))
                let app = try await account.apps.create(AppCreate(displayName: "By JWT"))
                let key = try await account.appKeys.create(appId: app.id, displayName: "jwt")
                let secret = try #require(key.secret)

                let asApp = try ClientLibrary.client(api, .jwt(keyId: key.id, secret: secret, scope: .app))
                #expect(try await asApp.apps.get(appId: app.id).displayName == "By JWT")
                let header = ParleyClient.Credentials.jwt(keyId: key.id, secret: secret, scope: .app).authorizationHeader
                #expect(header.hasPrefix("Bearer ") && header.split(separator: ".").count == 3)
                let token = String(header.dropFirst("Bearer ".count))
                #expect(try await ClientLibrary.client(api, .bearer(token)).apps.get(appId: app.id).id == app.id)
                // The header names the key and HS256; the payload is the scope alone.
                let parts = token.split(separator: ".").map { part -> [String: String] in
                    var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                    while base64.count % 4 != 0 { base64 += "=" }
                    let data = Data(base64Encoded: base64) ?? Data()
                    return (try? JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
                }
                #expect(parts[0] == ["alg": "HS256", "typ": "JWT", "kid": key.id])
                #expect(parts[1] == ["scope": "app"])

                for bad in [
                    ParleyClient.Credentials.jwt(keyId: key.id, secret: secret + "x", scope: .app), .jwt(keyId: key.id, secret: secret, scope: .account),
                    .basic(keyId: key.id, secret: "wrong"),
                ] {
                    let refused = await ClientLibrary.error { _ = try await ClientLibrary.client(api, bad).apps.get(appId: app.id) }
                    #expect(refused?.isUnauthorized == true && refused?.code == "unauthorized")
                }
            }
        }

        @Test("A POST whose answer is lost is retried with the same Idempotency-Key and replayed: the message is written once")
        func retriedPostIsReplayed() async throws {
            try await Self.withProxy { client, proxy, direct in
                let (appId, _) = try await ClientLibrary.app(direct)
                let user = try await direct.users.create(appId: appId, UserCreate(externalId: "steve"))
                let conversation = try await direct.conversations.create(appId: appId, .personal(.userId(user.id)))

                proxy.fail(.loseAnswer)
                let posted = try await client.messages.post(appId: appId, conversationId: conversation.id, MessagePost(author: .business(), content: .text("Only once")))
                let attempts = proxy.seen
                #expect(attempts.count == 2)
                #expect(attempts.map(\.upstreamStatus) == [201, 201])
                #expect(attempts.map(\.replayed) == [false, true])
                let key = try #require(attempts.first?.idempotencyKey)
                #expect(attempts.last?.idempotencyKey == key)

                let stored = try await direct.messages.list(appId: appId, conversationId: conversation.id).collect()
                #expect(stored.count == 1)
                #expect(stored.first?.id == posted.first?.id)
                #expect(stored.first?.content?.text == "Only once")

                // Each call has its own key; GET, PATCH and DELETE carry none.
                _ = try await client.users.create(appId: appId, UserCreate(externalId: "other"))
                _ = try await client.users.get(appId: appId, user: "other")
                _ = try await client.users.update(appId: appId, user: "other", UserUpdate(toBeRetained: true))
                try await client.users.delete(appId: appId, user: "other")
                let later = Array(proxy.seen.dropFirst(2))
                #expect(later.map(\.method) == ["POST", "GET", "PATCH", "DELETE"])
                #expect(later[0].idempotencyKey != nil && later[0].idempotencyKey != key)
                #expect(later.dropFirst().allSatisfy { $0.idempotencyKey == nil })
                #expect(later.allSatisfy { $0.authorization?.hasPrefix("Basic ") == true })
            }
        }

        @Test("429 is retried after Retry-After; 5xx is retried; 501 and 4xx are not; attempts stop at maxAttempts")
        func retryRules() async throws {
            try await Self.withProxy { client, proxy, direct in
                let (appId, _) = try await ClientLibrary.app(direct)

                proxy.fail(.answer(status: 429, retryAfter: "1"))
                let started = ContinuousClock.now
                #expect(try await client.apps.get(appId: appId).id == appId)
                #expect(ContinuousClock.now - started >= .milliseconds(950))
                #expect(proxy.seen.count == 2)

                proxy.fail(.answer(status: 502), .answer(status: 500))
                #expect(try await client.apps.get(appId: appId).id == appId)
                #expect(proxy.seen.count == 5)

                proxy.fail(.answer(status: 503), .answer(status: 503), .answer(status: 503), .answer(status: 503))
                let exhausted = await ClientLibrary.error { _ = try await client.apps.get(appId: appId) }
                #expect(exhausted?.status == 503 && exhausted?.code == "test")
                #expect(proxy.seen.count == 8)

                proxy.fail(.answer(status: 501), .answer(status: 400))
                let notImplemented = await ClientLibrary.error { _ = try await client.apps.get(appId: appId) }
                #expect(notImplemented?.status == 501)
                let badRequest = await ClientLibrary.error { _ = try await client.apps.get(appId: appId) }
                #expect(badRequest?.status == 400 && badRequest?.title == "from the proxy")
                #expect(proxy.seen.count == 10)

                // Without retries the 429 comes straight back, typed.
                let once = SunshineClient(baseURL: proxy.url, credentials: ClientLibrary.account, retry: .none, timeout: .seconds(300))
                proxy.fail(.answer(status: 429, retryAfter: "1"))
                let limited = await ClientLibrary.error { _ = try await once.apps.get(appId: appId) }
                #expect(limited?.isRateLimited == true)
            }
        }

        @Test("Bodies that are not the API's: a non-envelope error is .api with no errors; an undecodable 200 is .decoding")
        func undecodableBodies() async throws {
            try await Self.withProxy(retry: .none) { client, proxy, direct in
                let (appId, _) = try await ClientLibrary.app(direct)
                proxy.fail(.answer(status: 404, body: "<html>not here</html>"))
                let html = await ClientLibrary.error { _ = try await client.apps.get(appId: appId) }
                #expect(html?.status == 404 && html?.errors.isEmpty == true && html?.isNotFound == true)

                proxy.fail(.answer(status: 200, body: "{\"app\": 42}"))
                let undecodable = await ClientLibrary.error { _ = try await client.apps.get(appId: appId) }
                guard case .decoding(let status, _) = undecodable else {
                    Issue.record("not a decoding error: \(String(describing: undecodable))")
                    return
                }
                #expect(status == 200)

                // Unknown fields and enum values decode.
                proxy.fail(.answer(status: 200, body: #"{"app": {"id": "x", "displayName": "A", "brandNew": {"nested": [1, 2.5, null]}}, "extra": true}"#))
                #expect(try await client.apps.get(appId: appId).displayName == "A")
            }
        }

        @Test("No server: a transport error after the attempts; a base URL that is not one: invalidRequest, nothing sent")
        func transportFailures() async throws {
            // AsyncHTTPClient keeps trying to connect until the attempt's timeout: a short one here.
            let closed = SunshineClient(
                baseURL: "http://127.0.0.1:9", credentials: ClientLibrary.account, retry: ClientLibrary.fastRetry, timeout: .milliseconds(300))
            let started = ContinuousClock.now
            let refused = await ClientLibrary.error { _ = try await closed.apps.get(appId: "0123456789abcdef01234567") }
            guard case .transport = refused else {
                Issue.record("not a transport error: \(String(describing: refused))")
                return
            }
            #expect(refused?.status == nil)
            // Three attempts of 300 ms and two short pauses.
            #expect(ContinuousClock.now - started >= .milliseconds(900))

            for nonsense in ["not a url", "ftp://example.com", "http://"] {
                let client = SunshineClient(baseURL: nonsense, credentials: ClientLibrary.account, retry: ClientLibrary.fastRetry)
                let invalid = await ClientLibrary.error { _ = try await client.apps.get(appId: "x") }
                guard case .invalidRequest = invalid else {
                    Issue.record("\(nonsense): not an invalid request: \(String(describing: invalid))")
                    continue
                }
            }
        }

        @Test("Nullable sends null and nil omits; unknown content types and enum values are kept whole")
        func coding() throws {
            let decoder = JSONDecoder()
            let update = ConversationUpdate(displayName: "New", description: .null)
            let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(update)) as? [String: Any])
            #expect(json["displayName"] as? String == "New")
            #expect(json["description"] is NSNull)
            #expect(json.keys.sorted() == ["description", "displayName"])

            let unknown = try decoder.decode(MessageContent.self, from: Data(#"{"type": "hologram", "depth": 3}"#.utf8))
            #expect(unknown == .other(["type": "hologram", "depth": 3]))
            #expect(unknown.type == "hologram")
            let clientType = try decoder.decode(ClientType.self, from: Data(#""carrierpigeon""#.utf8))
            #expect(clientType.rawValue == "carrierpigeon" && clientType != .mailgun)
        }
    }
}

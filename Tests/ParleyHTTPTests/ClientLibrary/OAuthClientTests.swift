import AsyncHTTPClient
import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    /// ParleyClient's OAuth calls and the three channel-specific operations against a live Parley:
    /// the library does the partner's server's part, a redirect-free HTTP client the owner's browser's.
    @Suite("Client library: OAuth and the channel-specific operations")
    struct OAuthClientTests {
        static let redirect = "https://partner.example/cb"

        /// The owner's part, from the authorize URL to the code: sign in with the account key, allow `appId`.
        static func consent(_ url: URL, appId: String, base: String) async throws -> [String: String] {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let web = OAuthTests.Web(base: base, http: http)
            do {
                let found = try await web.send(.GET, url.absoluteString)
                let page = try await web.send(.GET, try #require(found.location))
                let signedIn = try await web.form(
                    "/oauth/consent", [("ticket", try #require(page.ticket)), ("keyId", TestServer.accountKeyId), ("secret", TestServer.accountSecret)])
                let decided = try await web.form("/oauth/consent", [("ticket", try #require(signedIn.ticket)), ("appId", appId), ("decision", "allow")])
                try await http.shutdown()
                return try OAuthTests.redirectQuery(of: try #require(decided.location), expectedBase: redirect)
            } catch {
                try await http.shutdown()
                throw error
            }
        }

        @Test("oauthClients, authorizeURL, getToken, a Bearer client's tokenInfo and calls, revokeAccess")
        func oauth() async throws {
            try await ClientLibrary.run { client, api in
                let (appId, _) = try await ClientLibrary.app(client, "Granted")
                let registered = try await client.oauthClients.create(name: "Partner", redirectUris: [Self.redirect])
                let secret = try #require(registered.secret)
                #expect(try await client.oauthClients.list().contains { $0.id == registered.id && $0.secret == nil })

                let url = try #require(client.oauth.authorizeURL(clientId: registered.id, state: "s-1", redirectURI: Self.redirect))
                let query = try await Self.consent(url, appId: appId, base: try ClientLibrary.baseURL(api))
                #expect(query["state"] == "s-1")
                let token = try await client.oauth.getToken(
                    code: try #require(query["code"]), clientId: registered.id, clientSecret: secret, redirectURI: Self.redirect)
                #expect(token.tokenType == "Bearer")

                let partner = try ClientLibrary.client(api, .bearer(token.accessToken))
                #expect(try await partner.oauth.tokenInfo().id == appId)
                #expect(try await partner.apps.get(appId: appId).displayName == "Granted")
                let user = try await partner.users.create(appId: appId, UserCreate(externalId: "from-partner"))
                #expect(user.externalId == "from-partner")

                _ = try await partner.oauth.revokeAccess()
                #expect(await ClientLibrary.error { _ = try await partner.apps.get(appId: appId) }?.isUnauthorized == true)
                // A code is good once.
                let replay = await ClientLibrary.error {
                    _ = try await client.oauth.getToken(code: query["code"] ?? "", clientId: registered.id, clientSecret: secret, redirectURI: Self.redirect)
                }
                #expect(replay?.status == 400 && replay?.code == "invalid_grant")
                try await client.oauthClients.delete(clientId: registered.id)
                #expect(try await client.oauthClients.list().isEmpty)
            }
        }

        @Test("postConversionEvents reaches Meta for a Messenger user; downloadMessageRef and sync answer why they cannot apply")
        func channelOperations() async throws {
            try await MessengerTests.withPage(live: true) { fixture in
                let conversationId = try await MessengerTests.conversation(fixture)
                let client = try ClientLibrary.client(fixture.api, ClientLibrary.account)
                let event: JSONValue = ["event_name": "Purchase", "event_time": 1_790_000_000]
                let result = try await client.conversations.postConversionEvents(
                    appId: fixture.appId, conversationId: conversationId, ConversionEvents(messenger: .events([event])))
                #expect(result.datasetId == .string(FakeGraph.datasetId) && result.eventsReceived == 1)

                let reference = AppleMessageRef(interactiveDataRef: .init(url: "https://p61-content.icloud.com/x", bid: "b", key: "k", signature: "s", owner: "o"))
                let participants = try await client.participants.listPage(appId: fixture.appId, conversationId: conversationId)
                let userId = try #require(participants.items.first?.userId)
                let download = await ClientLibrary.error {
                    _ = try await client.conversations.downloadMessageRef(
                        appId: fixture.appId, conversationId: conversationId, MessageRefDownload(userId: userId, apple: reference))
                }
                #expect(download?.status == 400 && download?.code == "bad_request")
                let sync = await ClientLibrary.error { _ = try await client.users.sync(appId: fixture.appId, zendeskId: "35436") }
                #expect(sync?.isNotFound == true && sync?.code == "user_not_found")
            }
        }
    }
}

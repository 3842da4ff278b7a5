import Foundation
import ParleyDomain
import Testing

@Suite("Rate limits")
struct RateLimitTests {
    /// One request every 1,000 s, three at once: the real time a test takes, even on a loaded
    /// machine, earns no token; the tests move the server's clock instead.
    static let limit = RateLimit(perSecond: 0.001, burst: 3)

    @Test("Each key and each app get the burst, then 429 with Retry-After in the envelope; another app is not held back")
    func perKeyAndPerApp() async throws {
        try await TestServer.run(rateLimit: Self.limit) { api in
            // The set-up's calls are the account key's too: its bucket is refilled between them.
            let appA = try await api.createApp()
            let appB = try await api.createApp()
            api.server.advance(by: 10_000)
            let (a1, a2) = (try await api.createAppKey(appId: appA), try await api.createAppKey(appId: appA))
            api.server.advance(by: 10_000)
            let b = try await api.createAppKey(appId: appB)
            api.server.advance(by: 10_000)

            for _ in 0..<3 { #expect(try await api.as_(a1).get("/v2/apps/\(appA)").status == 200) }
            let refused = try await api.as_(a1).get("/v2/apps/\(appA)")
            #expect(refused.status == 429)
            #expect(refused.errorCode == "too_many_requests")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...1000).contains(retryAfter))
            // The app's bucket is empty for its other key, and for the account key on the app's paths.
            #expect(try await api.as_(a2).get("/v2/apps/\(appA)").status == 429)
            #expect(try await api.get("/v2/apps/\(appA)").status == 429)
            // Another app, and the account key's own calls, are not held back.
            #expect(try await api.as_(b).get("/v2/apps/\(appB)").status == 200)
            #expect(try await api.get("/v2/apps").status == 200)
            // Wrong credentials are refused as such (401), over the limit or not.
            #expect(try await api.as_(Credentials(id: a1.id, secret: "wrong-secret-wrong-secret-wrong-secret")).get("/v2/apps/\(appA)").status == 401)

            api.server.advance(by: 1000)
            #expect(try await api.as_(a1).get("/v2/apps/\(appA)").status == 200)
        }
    }

    @Test("Refused requests take nothing: after the wait, the next request passes")
    func refusedTakeNothing() async throws {
        try await TestServer.run(rateLimit: Self.limit) { api in
            let app = try await api.createApp()
            let key = try await api.createAppKey(appId: app)
            api.server.advance(by: 10_000)
            for _ in 0..<3 { #expect(try await api.as_(key).get("/v2/apps/\(app)/users?page[size]=1").status != 429) }
            for _ in 0..<20 { #expect(try await api.as_(key).get("/v2/apps/\(app)").status == 429) }
            api.server.advance(by: 1000)
            #expect(try await api.as_(key).post("/v2/apps/\(app)/users", ["externalId": "u1"]).status == 201)
            #expect(try await api.as_(key).get("/v2/apps/\(app)").status == 429)
        }
    }
}

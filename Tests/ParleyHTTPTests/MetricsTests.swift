import Foundation
import HTTPTypes
import Testing

/// `GET /metrics` (docs/OPERATIONS.md): what a scrape shows after real traffic, on either engine.
@Suite("Metrics")
struct MetricsTests {
    /// The value of the sample line starting with `prefix` (name and labels), nil when absent.
    static func sample(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("Requests by operation and status with durations, webhook attempts and backlog, the store's own figures, the process's")
    func scrape() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversation = try await api.createPersonalConversation(appId: appId, externalId: "u1")
            // A webhook nobody answers (a closed loopback port): its delivery waits for a retry.
            let integration = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "custom", "webhooks": [["target": "http://127.0.0.1:9/hook", "triggers": ["conversation:message"]]]])
            #expect(integration.status == 201)
            for text in ["one", "two"] { #expect(try await api.postText(appId: appId, conversationId: conversation, text).status == 201) }
            #expect(try await api.get("/v2/apps/\(appId)/conversations/nope").status == 404)
            // Paths and methods nobody serves are counted under one label value each, however many.
            for index in 0..<3 { _ = try await api.call(HTTPRequest.Method("SCAN\(index)")!, "/nowhere/\(index)") }

            let before = try await api.call(.get, "/metrics", anonymous: true)
            #expect(before.status == 200)
            #expect(before.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = before.text
            #expect(Self.sample(text, #"parley_http_requests_total{operation="PostMessage",method="POST",status="201"}"#) == 2, "\(text)")
            #expect(Self.sample(text, #"parley_http_requests_total{operation="GetConversation",method="GET",status="404"}"#) == 1)
            #expect(Self.sample(text, #"parley_http_request_duration_seconds_count{operation="PostMessage"}"#) == 2)
            #expect(Self.sample(text, #"parley_http_requests_total{operation="unmatched",method="OTHER",status="404"}"#) == 3, "\(text)")
            #expect(text.contains(#"parley_http_request_duration_seconds_bucket{operation="PostMessage",le="0.001"}"#))
            #expect((Self.sample(text, "parley_webhook_backlog") ?? 0) >= 1)
            #expect((Self.sample(text, "process_resident_memory_bytes") ?? 0) > 1_000_000)
            #expect((Self.sample(text, "process_open_fds") ?? 0) > 0)
            #expect((Self.sample(text, "process_cpu_seconds_total") ?? 0) > 0)
            if TestServer.usesPostgres {
                #expect((Self.sample(text, "parley_postgres_connection_wait_seconds_count") ?? 0) > 0)
            } else {
                #expect((Self.sample(text, "parley_sqlite_commit_batch_size_count") ?? 0) > 0)
            }

            // The dispatcher tries, fails and schedules a retry: one attempt, still pending.
            try await api.server.settle()
            let after = try await api.call(.get, "/metrics", anonymous: true).text
            #expect((Self.sample(after, #"parley_webhook_attempts_total{outcome="pending"}"#) ?? 0) >= 1, "\(after)")
            #expect((Self.sample(after, "parley_webhook_oldest_pending_seconds") ?? -1) >= 0)
            // The scrapes themselves are counted under their route.
            #expect(Self.sample(after, #"parley_http_requests_total{operation="/metrics",method="GET",status="200"}"#) == 1)
        }
    }

    @Test("With PARLEY_METRICS_TOKEN, /metrics asks for it as a Bearer token; API keys do not open it")
    func token() async throws {
        try await TestServer.run(metricsToken: "scrape-secret") { api in
            #expect(try await api.call(.get, "/metrics", anonymous: true).status == 401)
            #expect(try await api.get("/metrics").status == 401)
            let wrong = try await api.call(.get, "/metrics", authorization: "Bearer not-it")
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "unauthorized")
            #expect(try await api.call(.get, "/metrics", authorization: "Bearer scrape-secret").status == 200)
        }
    }
}

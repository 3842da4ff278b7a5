import Foundation
import Hummingbird
import ParleyDomain
import ParleyTestSupport
import Synchronization
import Testing

/// Webhook targets may not point at this server, the private network or the clouds' metadata
/// services, unless the operator allows it (`PARLEY_OUTBOUND_ALLOW`).
@Suite("Outbound address policy")
struct OutboundPolicyTests {
    @Test("A target naming a link-local, metadata, private or loopback address is 400 on create and update; a public one is accepted")
    func creation() async throws {
        try await TestServer.run(outboundPolicy: OutboundAddressPolicy()) { api in
            let appId = try await api.createApp()
            let refused = [
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://10.0.0.7:8080/hook",
                "http://127.0.0.1:5432/", "http://localhost:9000/", "https://127.1/", "http://2130706433/", "http://[::ffff:169.254.169.254]/",
                "http://0.0.0.0:8080/",
            ]
            for target in refused {
                let created = try await api.post(
                    "/v2/apps/\(appId)/integrations", ["type": "custom", "webhooks": [["target": target, "triggers": ["conversation:message"]]]])
                #expect(created.status == 400, "\(target): \(created.text)")
                #expect(created.errorTitle.contains("outbound policy"), "\(created.text)")
            }
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "custom", "webhooks": [["target": "https://hooks.example.com/parley", "triggers": ["conversation:message"]]]])
            #expect(created.status == 201, "\(created.text)")
            let integrationId = try #require(created.object["integration"]?["id"] as? String)
            let base = "/v2/apps/\(appId)/integrations/\(integrationId)/webhooks"
            for target in refused.prefix(4) {
                #expect(try await api.post(base, ["target": target, "triggers": []]).status == 400, "\(target)")
            }
            let webhookId = try #require(try await api.get(base).list("webhooks").first?["id"] as? String)
            let updated = try await api.patch("\(base)/\(webhookId)", ["target": "http://169.254.169.254/"])
            #expect(updated.status == 400 && updated.errorTitle.contains("link-local or metadata"), "\(updated.text)")
        }
    }

    @Test("A target stored while allowed is refused at send time once the policy forbids it: nothing reaches it, the delivery says why")
    func sendTime() async throws {
        let receiver = LoopbackServer()
        let received = Mutex(0)
        let router = Router()
        router.post("/hook") { _, _ -> HTTPResponse.Status in
            received.withLock { $0 += 1 }
            return .ok
        }
        try await receiver.start(router, label: "receiver")
        defer { receiver.stop() }
        let path = TestServer.temporaryDatabasePath()
        let ids = IDBox()
        try await TestServer.run(databasePath: path) { api in
            let appId = try await api.createApp()
            let created = try await api.post(
                "/v2/apps/\(appId)/integrations",
                ["type": "custom", "webhooks": [["target": "\(receiver.baseURL)/hook", "triggers": ["conversation:message"]]]])
            let integration = try #require(created.object["integration"])
            let webhookId = try #require((integration["webhooks"] as? [[String: Any]])?.first?["id"] as? String)
            await ids.set(appId, Credentials(id: try #require(integration["id"] as? String), secret: webhookId))
        }
        let (appId, hook) = await ids.get()
        // The same database under the default policy: public addresses only.
        try await TestServer.run(databasePath: path, outboundPolicy: OutboundAddressPolicy()) { api in
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            #expect(try await api.postText(appId: appId, conversationId: conversationId, "hello").status == 201)
            let deliveries = "/v2/apps/\(appId)/integrations/\(hook.id)/webhooks/\(hook.secret)/deliveries"
            try await LoopbackServer.wait(timeout: .seconds(20), describe: { "no failed attempt recorded" }) {
                try await api.get(deliveries).list("deliveries").contains { ($0["attempts"] as? Int ?? 0) > 0 }
            }
            let delivery = try #require(try await api.get(deliveries).list("deliveries").first)
            #expect((delivery["lastError"] as? String)?.contains("outbound address policy") == true, "\(delivery)")
            #expect(delivery["lastStatusCode"] == nil)
        }
        #expect(received.withLock { $0 } == 0)
    }
}

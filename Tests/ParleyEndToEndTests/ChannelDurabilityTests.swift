import Foundation
import Testing

/// Channel links across a crash, with the real `parley` process and a Mailgun stand-in.
@Suite("Channel durability", .serialized)
struct ChannelDurabilityTests {
    static let key = ("act_00000000000000000000cafe", "channel-durability-account-secret-32b+")

    /// Fast retries (the stand-in refuses at once while "down"); a send timeout a stand-in slowed
    /// by a loaded machine does not trip, since a timed-out send is sent again and mailed twice.
    static func environment(mailgun: MailgunStub) -> [String: String] {
        [
            "PARLEY_ACCOUNT_KEY_ID": key.0, "PARLEY_ACCOUNT_KEY_SECRET": key.1, "PARLEY_MAILGUN_API_URL": mailgun.url,
            "PARLEY_CHANNEL_RETRY_SECONDS": "0.2", "PARLEY_CHANNEL_MAX_ATTEMPTS": "100", "PARLEY_CHANNEL_TIMEOUT_SECONDS": "5",
        ]
    }

    @Test("SIGKILL while Mailgun is down: after restart the confirmation email and then every acknowledged message go out")
    func survivesSIGKILL() async throws {
        let mailgun = MailgunStub()
        try await mailgun.start()
        defer { mailgun.stop() }
        mailgun.accepting = false
        let database = ServeCommandTests.temporaryDatabase()
        let (first, base) = try await ServerProcess.serve(database: database, environment: Self.environment(mailgun: mailgun))

        let app = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: Self.key, json: #"{"displayName":"Channel 5"}"#)
        let appId = try #require((app.body["app"] as? [String: Any])?["id"] as? String)
        let apps = base.appendingPathComponent("v2/apps/\(appId)")
        let integration = try await HTTP.send(
            "POST", apps.appendingPathComponent("integrations"), basic: Self.key,
            json: #"{"type":"mailgun","apiKey":"key-1","domain":"mg.channel5.com","incomingAddress":"in@mg.channel5.com"}"#)
        let integrationId = try #require((integration.body["integration"] as? [String: Any])?["id"] as? String)
        _ = try await HTTP.send("POST", apps.appendingPathComponent("users"), basic: Self.key, json: #"{"externalId":"steve"}"#)
        let conversation = try await HTTP.send(
            "POST", apps.appendingPathComponent("conversations"), basic: Self.key,
            json: #"{"type":"personal","participants":[{"userExternalId":"steve"}]}"#)
        let conversationId = try #require((conversation.body["conversation"] as? [String: Any])?["id"] as? String)
        let clients = apps.appendingPathComponent("users/steve/clients")
        let created = try await HTTP.send(
            "POST", clients, basic: Self.key,
            json: #"""
                {"matchCriteria": {"type": "mailgun", "integrationId": "\#(integrationId)", "address": "steveb@channel5.com"},
                 "confirmation": {"type": "immediate", "message": {"author": {"type": "business"}, "content": {"type": "text", "text": "Hello!"}}},
                 "target": {"conversationId": "\#(conversationId)"}}
                """#)
        #expect(created.status == 201)

        // Attempts have failed by now: the job is pending, in the database only.
        try await mailgun.wait { mailgun.requests >= 1 }
        first.signal(SIGKILL)
        _ = try await first.waitForExit()

        mailgun.accepting = true
        let (second, restarted) = try await ServerProcess.serve(database: database, environment: Self.environment(mailgun: mailgun))
        defer { second.signal(SIGKILL) }
        try await mailgun.wait { !mailgun.accepted.isEmpty }
        // Through a crash the promise is at least once: a send the killed process had written to
        // its socket may still be read by the stub after it starts accepting.
        #expect(Set(mailgun.accepted) == ["steveb@channel5.com"])
        let listed = restarted.appendingPathComponent("v2/apps/\(appId)/users/steve/clients")
        let deadline = ContinuousClock.now + .seconds(10)
        var status: String?
        while status != "active", ContinuousClock.now < deadline {
            let response = try await HTTP.send("GET", listed, basic: Self.key)
            status = ((response.body["clients"] as? [[String: Any]])?.first)?["status"] as? String
            if status != "active" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == "active")

        // Business messages acknowledged while Mailgun is down survive a second SIGKILL and are mailed after restart.
        mailgun.accepting = false
        let messages = restarted.appendingPathComponent("v2/apps/\(appId)/conversations/\(conversationId)/messages")
        for index in 1...5 {
            let posted = try await HTTP.send(
                "POST", messages, basic: Self.key, json: #"{"author": {"type": "business"}, "content": {"type": "text", "text": "Update \#(index)"}}"#)
            #expect(posted.status == 201)
        }
        second.signal(SIGKILL)
        _ = try await second.waitForExit()
        mailgun.accepting = true
        let (third, _) = try await ServerProcess.serve(database: database, environment: Self.environment(mailgun: mailgun))
        defer { third.signal(SIGKILL) }
        try await mailgun.wait { Set(mailgun.texts).isSuperset(of: (1...5).map { "Update \($0)" }) }
        #expect(mailgun.accepted.filter { $0 == "steveb@channel5.com" }.count >= 6)
    }
}

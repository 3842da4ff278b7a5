import AsyncHTTPClient
import Foundation
import Testing

/// What an operator reads: the real `parley` process's log, from start to stop.
@Suite("The server's log", .serialized)
struct ServerLogTests {
    static let key = ("act_00000000000000000000beef", "server-log-account-secret-0123456789")

    @Test("Start-up settings, a line per request, channel sends, refused logins and signatures (throttled), webhook failures with their reason, and the stop")
    func tellsTheStory() async throws {
        let mailgun = MailgunStub()
        try await mailgun.start()
        defer { mailgun.stop() }
        let (server, base) = try await ServerProcess.serve(
            database: ServeCommandTests.temporaryDatabase(),
            environment: [
                "PARLEY_ACCOUNT_KEY_ID": Self.key.0, "PARLEY_ACCOUNT_KEY_SECRET": Self.key.1, "PARLEY_MAILGUN_API_URL": mailgun.url,
                "PARLEY_WEBHOOK_RETRY_SECONDS": "60", "PARLEY_WEBHOOK_TIMEOUT_SECONDS": "1",
            ])
        defer { server.signal(SIGKILL) }
        #expect(server.text.range(of: #"Parley \d+\.\d+\.\d+ starting"#, options: .regularExpression) != nil, "\(server.text)")
        #expect(server.text.contains("database=sqlite:"), "the settings in use are on the first line")

        let created = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: Self.key, json: #"{"displayName":"Logged"}"#)
        let appId = try #require((created.body["app"] as? [String: Any])?["id"] as? String)
        let app = base.appendingPathComponent("v2/apps/\(appId)")
        _ = try await HTTP.send("GET", app, basic: Self.key)
        try await Self.waitFor(server, "GET GetApp 200")
        let getLine = try #require(Self.line(server, containing: "GET GetApp 200"))
        #expect(getLine.contains("app=\(appId)") && getLine.contains("ms=") && getLine.contains("hb.request.id="), "\(getLine)")

        // Three failed logins in a row: one line, not three.
        for _ in 0..<3 { #expect(try await HTTP.send("GET", app, basic: (Self.key.0, "wrong-secret")).status == 401) }
        try await Self.waitFor(server, "Authentication failed")
        #expect(Self.lines(server, containing: "Authentication failed").count == 1, "\(server.text)")

        // An email sent through Mailgun is a line with the integration.
        let integration = try await HTTP.send(
            "POST", app.appendingPathComponent("integrations"), basic: Self.key,
            json: #"{"type":"mailgun","apiKey":"key-1","domain":"mg.logged.example","incomingAddress":"in@mg.logged.example","webhookSigningKey":"sign-1"}"#)
        let integrationId = try #require((integration.body["integration"] as? [String: Any])?["id"] as? String)
        _ = try await HTTP.send("POST", app.appendingPathComponent("users"), basic: Self.key, json: #"{"externalId":"ann"}"#)
        let conversation = try await HTTP.send(
            "POST", app.appendingPathComponent("conversations"), basic: Self.key, json: #"{"type":"personal","participants":[{"userExternalId":"ann"}]}"#)
        let conversationId = try #require((conversation.body["conversation"] as? [String: Any])?["id"] as? String)
        let linked = try await HTTP.send(
            "POST", app.appendingPathComponent("users/ann/clients"), basic: Self.key,
            json: #"""
                {"matchCriteria": {"type": "mailgun", "integrationId": "\#(integrationId)", "address": "ann@example.com"},
                 "confirmation": {"type": "immediate", "message": {"author": {"type": "business"}, "content": {"type": "text", "text": "Hello!"}}},
                 "target": {"conversationId": "\#(conversationId)"}}
                """#)
        #expect(linked.status == 201, "\(linked.body)")
        try await Self.waitFor(server, "Channel message sent")
        #expect(Self.line(server, containing: "Channel message sent")?.contains("integration=\(integrationId)") == true)

        // A forged provider callback: refused, and said so.
        let forged = try await HTTP.send("POST", app.appendingPathComponent("integrations/\(integrationId)/inbound/messages"))
        #expect(forged.status == 401)
        try await Self.waitFor(server, "Provider call refused")
        #expect(server.text.contains("POST /v2/apps/{appId}/integrations/{integrationId}/inbound/{endpoint} 401"), "the route's template, not its ids")

        // A webhook whose receiver cannot be reached: the warning gives the reason, not just "status=-".
        _ = try await HTTP.send(
            "POST", app.appendingPathComponent("integrations"), basic: Self.key,
            json: #"{"type":"custom","webhooks":[{"target":"http://127.0.0.1:1/hook","triggers":["user:remove"]}]}"#)
        _ = try await HTTP.send("DELETE", app.appendingPathComponent("users/ann"), basic: Self.key)
        try await Self.waitFor(server, "Webhook delivery failed")
        let failure = try #require(Self.line(server, containing: "Webhook delivery failed"))
        #expect(!failure.contains("error=-"), "\(failure)")

        server.signal(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        #expect(server.text.contains("Parley stopped"), "\(server.text)")
        #expect(!server.text.contains(Self.key.1) && !server.text.contains("key-1") && !server.text.contains("sign-1"), "no secret is logged")
    }

    @Test("LOG_FORMAT=json: every line is one JSON object; a request's lines carry its id, app and operation, and X-Request-Id gives the id back")
    func jsonLines() async throws {
        let (server, base) = try await ServerProcess.serve(
            database: ServeCommandTests.temporaryDatabase(),
            environment: ["PARLEY_ACCOUNT_KEY_ID": Self.key.0, "PARLEY_ACCOUNT_KEY_SECRET": Self.key.1, "LOG_FORMAT": "json"])
        defer { server.signal(SIGKILL) }
        let created = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: Self.key, json: #"{"displayName":"Logged"}"#)
        let appId = try #require((created.body["app"] as? [String: Any])?["id"] as? String)

        func get(requestID: String?) async throws -> String? {
            var request = HTTPClientRequest(url: base.appendingPathComponent("v2/apps/\(appId)").absoluteString)
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(Self.key.0):\(Self.key.1)".utf8).base64EncodedString())
            if let requestID { request.headers.add(name: "X-Request-Id", value: requestID) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok)
            return response.headers.first(name: "X-Request-Id")
        }
        // A proxy's id is kept; without one, or with one that is no short token, the server's own.
        #expect(try await get(requestID: "proxy-given.42") == "proxy-given.42")
        let own = try #require(try await get(requestID: nil))
        #expect(!own.isEmpty)
        let replaced = try #require(try await get(requestID: "two words"))
        #expect(replaced != "two words" && !replaced.isEmpty)

        try await Self.waitFor(server, "GET GetApp 200")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        let lines = server.text.split(separator: "\n")
        let objects = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(objects.count == lines.count && lines.count >= 5, "every line is a JSON object: \(server.text)")
        for object in objects {
            #expect(object["time"] as? String != nil && object["level"] as? String != nil && object["message"] as? String != nil, "\(object)")
        }
        let line = try #require(objects.first { $0["requestId"] as? String == "proxy-given.42" }, "\(server.text)")
        #expect(line["message"] as? String == "GET GetApp 200")
        #expect(line["operation"] as? String == "GetApp" && line["app"] as? String == appId && line["level"] as? String == "info", "\(line)")
        #expect((line["time"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
        #expect(objects.contains { $0["requestId"] as? String == own }, "the server's own id is the one its line carries")
        #expect(objects.contains { ($0["message"] as? String)?.contains("Parley stopped") == true })
    }

    static func lines(_ server: ServerProcess, containing text: String) -> [Substring] {
        server.text.split(separator: "\n").filter { $0.contains(text) }
    }

    static func line(_ server: ServerProcess, containing text: String) -> Substring? {
        lines(server, containing: text).first
    }

    static func waitFor(_ server: ServerProcess, _ text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !server.text.contains(text) {
            guard ContinuousClock.now < deadline else { throw ProcessError("no \"\(text)\" in the log: \(server.text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

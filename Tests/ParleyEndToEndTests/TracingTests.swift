import Foundation
import Testing

/// Traces with a real process, a real collector (OTLP/HTTP, JSON) and a real webhook receiver.
@Suite("Traces")
struct TracingTests {
    @Test("A request continues the caller's traceparent as a server span over its store spans; its webhook is a trace whose POST carries traceparent")
    func spans() async throws {
        let collector = OTLPCollector()
        try await collector.start()
        defer { collector.stop() }
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let mailgun = MailgunStub()
        try await mailgun.start()
        defer { mailgun.stop() }
        var environment = WebhookDurabilityTests.environment
        environment["PARLEY_MAILGUN_API_URL"] = mailgun.url
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.url
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json"
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "50"
        let (server, base) = try await ServerProcess.serve(database: ServeCommandTests.temporaryDatabase(), environment: environment)
        defer { server.signal(SIGKILL) }
        let fixture = try await WebhookDurabilityTests.provision(base, receiver: receiver, conversations: 1)

        let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
        let callerSpan = "00f067aa0ba902b7"
        let posted = try await HTTP.send(
            "POST", base.appendingPathComponent("v2/apps/\(fixture.appId)/conversations/\(fixture.conversations[0])/messages"),
            basic: WebhookDurabilityTests.key, json: #"{"author":{"type":"business"},"content":{"type":"text","text":"traced"}}"#,
            headers: ["traceparent": "00-\(traceId)-\(callerSpan)-01"])
        #expect(posted.status == 201)

        let request = try await collector.wait { $0.traceId == traceId && $0.name == "PostMessage" }
        #expect(request.kind == 2 && request.parentSpanId == callerSpan)
        #expect(request.attributes["http.response.status_code"] == "201", "\(request)")
        #expect(request.attributes["parley.app_id"] == fixture.appId, "\(request)")
        let write = try await collector.wait { $0.traceId == traceId && $0.name == "SQLite write" }
        #expect(write.parentSpanId == request.spanId && write.kind == 3)

        // The delivery: a trace of its own, whose client POST is the parent the receiver was given.
        try await receiver.wait { $0.contains { $0.type == "conversation:message" } }
        let traceparent = try #require(receiver.traceparents.first, "the webhook request carried traceparent")
        let parts = traceparent.split(separator: "-").map(String.init)
        #expect(parts.count == 4 && parts[0] == "00" && parts[1] != traceId)
        let post = try await collector.wait { $0.spanId == parts[2] }
        #expect(post.traceId == parts[1] && post.kind == 3 && post.name == "POST", "\(post)")
        let delivery = try await collector.wait { $0.spanId == post.parentSpanId }
        #expect(delivery.name == "webhook delivery" && delivery.kind == 4 && delivery.attributes["parley.app_id"] == fixture.appId, "\(delivery)")

        // A channel send likewise: a link's confirmation email, whose call to Mailgun carries traceparent.
        let apps = base.appendingPathComponent("v2/apps/\(fixture.appId)")
        let integration = try await HTTP.send(
            "POST", apps.appendingPathComponent("integrations"), basic: WebhookDurabilityTests.key,
            json: #"{"type":"mailgun","apiKey":"key-1","domain":"mg.example.com","incomingAddress":"in@mg.example.com"}"#)
        let integrationId = try #require((integration.body["integration"] as? [String: Any])?["id"] as? String)
        let match = #"{"type": "mailgun", "integrationId": "\#(integrationId)", "address": "steve@example.com"}"#
        let confirmation = #"{"type": "immediate", "message": {"author": {"type": "business"}, "content": {"type": "text", "text": "Hello!"}}}"#
        let linked = try await HTTP.send(
            "POST", apps.appendingPathComponent("users/u0/clients"), basic: WebhookDurabilityTests.key,
            json: #"{"matchCriteria": \#(match), "confirmation": \#(confirmation), "target": {"conversationId": "\#(fixture.conversations[0])"}}"#)
        #expect(linked.status == 201, "\(linked.body)")
        try await mailgun.wait { !mailgun.traceparents.isEmpty }
        let sent = try #require(mailgun.traceparents.first).split(separator: "-").map(String.init)
        let call = try await collector.wait { $0.spanId == sent[2] }
        let send = try await collector.wait { $0.spanId == call.parentSpanId }
        #expect(send.name == "channel send" && send.attributes["parley.integration_id"] == integrationId, "\(send)")
    }

    @Test("OTLP over gRPC, which this build does not carry, stops start-up with a message, not a crash")
    func grpcRefused() async throws {
        let process = try ServerProcess(
            ["serve", "--port", "0", "--database", "sqlite:\(ServeCommandTests.temporaryDatabase())"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        let exit = try await process.waitForExit(timeout: .seconds(60))
        #expect(exit.status == 1, "\(process.text)")
        #expect(process.text.contains("OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json"), "\(process.text)")
    }
}

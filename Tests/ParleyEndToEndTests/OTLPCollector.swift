import Foundation
import Hummingbird
import ParleyTestSupport
import Synchronization
import Testing

/// An OpenTelemetry collector's OTLP/HTTP endpoint on a loopback port (`POST /v1/traces`, JSON
/// encoding): it keeps every span it is sent.
final class OTLPCollector: Sendable {
    struct Span: Sendable, CustomStringConvertible {
        var traceId: String
        var spanId: String
        var parentSpanId: String
        var name: String
        /// OTLP's SpanKind number: 2 server, 3 client, 4 producer.
        var kind: Int
        var attributes: [String: String]

        var description: String { "\(name) kind \(kind) trace \(traceId) span \(spanId) parent \(parentSpanId) \(attributes)" }
    }

    private let spansReceived = Mutex<[Span]>([])
    private let server = LoopbackServer()
    var url: String { server.baseURL }
    var spans: [Span] { spansReceived.withLock { $0 } }

    func start() async throws {
        let router = Router()
        router.post("/v1/traces") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 10 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            spansReceived.withLock { $0 += Self.spans(in: json) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        try await server.start(router, label: "collector")
    }

    func stop() {
        server.stop()
    }

    /// Waits until a span satisfying `condition` has arrived, and returns it.
    func wait(timeout: Duration = .seconds(60), for condition: @escaping @Sendable (Span) -> Bool) async throws -> Span {
        try await LoopbackServer.wait(timeout: timeout, describe: { "no such span; got \(self.spans)" }) {
            self.spans.contains(where: condition)
        }
        return try #require(spans.first(where: condition))
    }

    /// `resourceSpans[].scopeSpans[].spans[]`. Ids are hex, as OTLP/JSON says; base64 (protobuf's
    /// own JSON mapping of bytes) is read too.
    static func spans(in export: [String: Any]) -> [Span] {
        var spans: [Span] = []
        for resource in export["resourceSpans"] as? [[String: Any]] ?? [] {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    var attributes: [String: String] = [:]
                    for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                        guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any], let first = value.values.first else { continue }
                        attributes[key] = "\(first)"
                    }
                    let kind = (span["kind"] as? Int) ?? Self.kinds[span["kind"] as? String ?? ""] ?? 0
                    spans.append(Span(
                        traceId: hex(span["traceId"]), spanId: hex(span["spanId"]), parentSpanId: hex(span["parentSpanId"]),
                        name: span["name"] as? String ?? "", kind: kind, attributes: attributes))
                }
            }
        }
        return spans
    }

    static let kinds = ["SPAN_KIND_INTERNAL": 1, "SPAN_KIND_SERVER": 2, "SPAN_KIND_CLIENT": 3, "SPAN_KIND_PRODUCER": 4, "SPAN_KIND_CONSUMER": 5]

    static func hex(_ value: Any?) -> String {
        guard let text = value as? String, !text.isEmpty else { return "" }
        if text.count % 2 == 0, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return data.map { String(format: "%02x", $0) }.joined()
    }
}

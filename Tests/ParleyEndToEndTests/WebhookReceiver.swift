import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import ParleyTestSupport
import Synchronization

/// A real HTTP receiver on a loopback port, standing in for an integrator's webhook endpoint.
/// Its answer can be switched while Parley is delivering (fail with 500, hang past the timeout,
/// or accept).
final class WebhookReceiver: Sendable {
    enum Mode: Sendable { case accept, fail, hang }

    struct Received: Sendable {
        var eventId: String
        var type: String
        var conversationId: String?
        var messageId: String?
        var accepted: Bool
    }

    private let state = Mutex<(mode: Mode, received: [Received], requests: Int)>((.accept, [], 0))
    private let acceptedBodies = Mutex<[Data]>([])
    private let traceHeaders = Mutex<[String]>([])
    private let server = LoopbackServer()

    var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    var received: [Received] { state.withLock { $0.received } }
    /// Every accepted request's JSON body.
    var bodies: [[String: Any]] {
        acceptedBodies.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
    }
    var requests: Int { state.withLock { $0.requests } }
    /// The `traceparent` header of every request that carried one.
    var traceparents: [String] { traceHeaders.withLock { $0 } }
    var url: String { server.baseURL + "/hook" }

    init() {}

    func start() async throws {
        let router = Router()
        router.post("/hook") { [self] request, context -> Response in
            let body = try await request.body.collect(upTo: 10 << 20)
            if let traceparent = request.headers[HTTPField.Name("traceparent")!] { traceHeaders.withLock { $0.append(traceparent) } }
            let mode = state.withLock { $0.requests += 1; return $0.mode }
            if mode == .hang { try await Task.sleep(for: .seconds(3)) }
            let accepted = mode == .accept
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let events = (json["events"] as? [[String: Any]] ?? []).map { event -> Received in
                let payload = event["payload"] as? [String: Any] ?? [:]
                return Received(
                    eventId: event["id"] as? String ?? "", type: event["type"] as? String ?? "",
                    conversationId: (payload["conversation"] as? [String: Any])?["id"] as? String,
                    messageId: (payload["message"] as? [String: Any])?["id"] as? String, accepted: accepted)
            }
            state.withLock { $0.received += events }
            if accepted { acceptedBodies.withLock { $0.append(Data(buffer: body)) } }
            return Response(status: accepted ? .ok : .internalServerError)
        }
        try await server.start(router, label: "receiver")
    }

    func stop() {
        server.stop()
    }

    /// Waits until `condition` holds for what has been received, or fails after `timeout`.
    func wait(timeout: Duration = .seconds(60), until condition: @escaping @Sendable ([Received]) -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "receiver timed out; got \(self.received.count) events" }) {
            condition(self.received)
        }
    }
}

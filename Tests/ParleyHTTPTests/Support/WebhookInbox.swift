import Foundation
import Hummingbird
import ParleyTestSupport
import Synchronization

/// Webhook receivers on a loopback port: `POST /{name}` records each event of the envelope under
/// `name` (one receiver per integration) and answers 200. The events are kept as JSON objects,
/// in the order they arrived.
final class WebhookInbox: Sendable {
    /// Each receiver's request bodies, as they arrived.
    private let received = Mutex<[String: [Data]]>([:])
    private let server = LoopbackServer()

    func target(_ name: String) -> String { "\(server.baseURL)/\(name)" }

    /// The events `name` received, oldest first.
    func events(_ name: String) -> [[String: Any]] {
        received.withLock { $0[name] ?? [] }.flatMap { body in
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["events"] as? [[String: Any]] ?? []
        }
    }

    /// The event types `name` received, oldest first.
    func types(_ name: String) -> [String] { events(name).compactMap { $0["type"] as? String } }

    func start() async throws {
        let router = Router()
        router.post("/:name") { [self] request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 22)
            let name = context.parameters.get("name") ?? ""
            let data = Data(buffer: body)
            received.withLock { $0[name, default: []].append(data) }
            return Response(status: .ok)
        }
        try await server.start(router, label: "webhook-inbox")
    }

    func stop() {
        server.stop()
    }

    /// Polls until `condition` holds (events arrive as the dispatcher sends them).
    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "webhook inbox: timed out" }, until: condition)
    }
}

extension [String: Any] {
    /// `payload.conversation` of an event.
    var conversation: [String: Any] { (self["payload"] as? [String: Any])?["conversation"] as? [String: Any] ?? [:] }
    /// `payload.message.content.text` of a `conversation:message` event.
    var messageText: String? { (((self["payload"] as? [String: Any])?["message"] as? [String: Any])?["content"] as? [String: Any])?["text"] as? String }
}

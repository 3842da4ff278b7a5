import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// Mailgun's messages endpoint on a loopback port, for the `parley` process to reach through
/// `PARLEY_MAILGUN_API_URL`. It fails (503) or accepts, switchable while Parley is sending, and
/// records the recipient and text of each accepted email.
final class MailgunStub: Sendable {
    private let state = Mutex<(accepting: Bool, requests: Int, accepted: [String], texts: [String])>((true, 0, [], []))
    private let server = LoopbackServer()
    private let traceHeaders = Mutex<[String]>([])
    /// The `traceparent` header of every request that carried one.
    var traceparents: [String] { traceHeaders.withLock { $0 } }

    var accepting: Bool {
        get { state.withLock { $0.accepting } }
        set { state.withLock { $0.accepting = newValue } }
    }

    var requests: Int { state.withLock { $0.requests } }
    /// The `to` field of every accepted email.
    var accepted: [String] { state.withLock { $0.accepted } }
    /// The `text` field of every accepted email.
    var texts: [String] { state.withLock { $0.texts } }
    var url: String { server.baseURL }

    init() {}

    func start() async throws {
        let router = Router()
        router.post("/v3/:domain/messages") { [self] request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            if let traceparent = request.headers[HTTPField.Name("traceparent")!] { traceHeaders.withLock { $0.append(traceparent) } }
            func field(_ name: String) -> String {
                body.split(separator: "&").first { $0.hasPrefix("\(name)=") }
                    .map { String($0.dropFirst(name.count + 1)).removingPercentEncoding ?? "" } ?? ""
            }
            let accepting = state.withLock { state in
                state.requests += 1
                if state.accepting {
                    state.accepted.append(field("to"))
                    state.texts.append(field("text"))
                }
                return state.accepting
            }
            let answer = accepting ? #"{"id": "<1@stub>", "message": "Queued. Thank you."}"# : #"{"message": "unavailable"}"#
            return Response(status: accepting ? .ok : .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        try await server.start(router, label: "mailgun-stub")
    }

    func stop() {
        server.stop()
    }

    func wait(timeout: Duration = .seconds(60), until condition: @Sendable () -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "Mailgun stub timed out after \(self.requests) requests" }) {
            condition()
        }
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Mailgun's messages endpoint on a loopback port, for the `parley` process to reach through
/// `PARLEY_MAILGUN_API_URL`. It fails (503) or accepts, switchable while Parley is sending, and
/// records the recipient of each accepted email.
final class MailgunStub: Sendable {
    private let state = Mutex<(accepting: Bool, requests: Int, accepted: [String])>((true, 0, []))
    private let portBox = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var accepting: Bool {
        get { state.withLock { $0.accepting } }
        set { state.withLock { $0.accepting = newValue } }
    }

    var requests: Int { state.withLock { $0.requests } }
    /// The `to` field of every accepted email.
    var accepted: [String] { state.withLock { $0.accepted } }
    var url: String { "http://127.0.0.1:\(portBox.withLock { $0 } ?? 0)" }

    init() {}

    func start() async throws {
        let router = Router()
        router.post("/v3/:domain/messages") { [self] request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let to = body.split(separator: "&").first { $0.hasPrefix("to=") }.map { String($0.dropFirst(3)).removingPercentEncoding ?? "" }
            let accepting = state.withLock { state in
                state.requests += 1
                if state.accepting { state.accepted.append(to ?? "") }
                return state.accepting
            }
            let answer = accepting ? #"{"id": "<1@stub>", "message": "Queued. Thank you."}"# : #"{"message": "unavailable"}"#
            return Response(status: accepting ? .ok : .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        var logger = Logger(label: "mailgun-stub")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [self] channel in self.portBox.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        task.withLock { $0 = Task { try await app.run() } }
        while portBox.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    func wait(timeout: Duration = .seconds(60), until condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw ProcessError("Mailgun stub timed out after \(requests) requests") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

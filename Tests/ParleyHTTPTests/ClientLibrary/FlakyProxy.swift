import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// A proxy on a loopback port in front of a live Parley, which fails on cue: it can lose the
/// server's answer (forward the request, then answer 503, as a connection cut after the server
/// wrote would look to the client) or answer a status of its own without forwarding. It records
/// what each request carried and what the server answered.
final class FlakyProxy: Sendable {
    enum Fault: Sendable {
        /// Forward, keep the server's answer from the client, answer 503.
        case loseAnswer
        /// Answer this without forwarding.
        case answer(status: Int, retryAfter: String? = nil, body: String = #"{"errors":[{"code":"test","title":"from the proxy"}]}"#)
    }

    struct Seen: Sendable {
        var method: String
        var path: String
        var idempotencyKey: String?
        var authorization: String?
        /// The server's status; nil when the proxy answered alone.
        var upstreamStatus: Int?
        /// The server's `Idempotent-Replayed: true`.
        var replayed = false
    }

    let upstream: String
    private let state = Mutex<(faults: [Fault], seen: [Seen])>(([], []))
    private let server = LoopbackServer()

    init(upstream: String) {
        self.upstream = upstream
    }

    var url: String { server.baseURL }
    var seen: [Seen] { state.withLock { $0.seen } }

    /// The next requests meet these faults, in order; after them every request is forwarded.
    func fail(_ faults: Fault...) {
        state.withLock { $0.faults = faults }
    }

    func start() async throws {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .patch, .delete] {
            router.on("**", method: method) { [self] request, _ in try await self.handle(request) }
        }
        try await server.start(router, label: "flaky-proxy")
    }

    func stop() {
        server.stop()
    }

    private func handle(_ request: Request) async throws -> Response {
        var seen = Seen(
            method: request.method.rawValue, path: request.uri.description, idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!],
            authorization: request.headers[.authorization])
        let fault: Fault? = state.withLock { $0.faults.isEmpty ? nil : $0.faults.removeFirst() }
        if case .answer(let status, let retryAfter, let body) = fault {
            state.withLock { $0.seen.append(seen) }
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        var forwarded = HTTPClientRequest(url: upstream + request.uri.description)
        forwarded.method = .init(rawValue: request.method.rawValue)
        for field in request.headers {
            forwarded.headers.add(name: field.name.rawName, value: field.value)
        }
        forwarded.body = .bytes(try await request.body.collect(upTo: 60 << 20))
        let answer = try await HTTPClient.shared.execute(forwarded, timeout: .seconds(300))
        let body = try await answer.body.collect(upTo: 60 << 20)
        seen.upstreamStatus = Int(answer.status.code)
        seen.replayed = answer.headers.first(name: "Idempotent-Replayed") == "true"
        state.withLock { $0.seen.append(seen) }
        if case .loseAnswer = fault {
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "lost")))
        }
        var headers: HTTPFields = [:]
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name), fieldName != .contentLength, fieldName != .transferEncoding, fieldName != .connection {
                headers.append(HTTPField(name: fieldName, value: value))
            }
        }
        return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

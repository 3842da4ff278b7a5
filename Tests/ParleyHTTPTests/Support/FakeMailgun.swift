import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// Mailgun's messages API on a loopback port: checks Basic auth `api:{key}` and the form fields
/// Mailgun requires, records each accepted email and answers the way Mailgun does. Tests script
/// the next answers' status codes (e.g. one 500, then the default 200).
final class FakeMailgun: Sendable {
    struct Email: Sendable {
        var domain: String
        var fields: [String: String]
    }

    let apiKey: String
    private let state = Mutex<(emails: [Email], requests: Int, script: [Int], delay: Duration)>(([], 0, [], .zero))
    private let server = LoopbackServer()

    var emails: [Email] { state.withLock { $0.emails } }
    var requests: Int { state.withLock { $0.requests } }
    var url: String { server.baseURL }

    init(apiKey: String = "key-fake-123") {
        self.apiKey = apiKey
    }

    /// The status codes of the next answers, in order; after them every request is accepted.
    func answer(_ statuses: Int...) {
        state.withLock { $0.script = statuses }
    }

    /// Accepted emails are recorded at once but answered only after `delay`, like a provider
    /// that is slow to reply: the sender's outcome stays unrecorded meanwhile.
    func delayAnswers(_ delay: Duration) {
        state.withLock { $0.delay = delay }
    }

    func start() async throws {
        let router = Router()
        let expectedAuth = "Basic " + Data("api:\(apiKey)".utf8).base64EncodedString()
        router.post("/v3/:domain/messages") { [self] request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let domain = context.parameters.get("domain") ?? ""
            let scripted: Int? = state.withLock { state in
                state.requests += 1
                return state.script.isEmpty ? nil : state.script.removeFirst()
            }
            guard request.headers[.authorization] == expectedAuth else { return Self.json(.unauthorized, #"{"message": "Invalid private key"}"#) }
            guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
                return Self.json(.badRequest, #"{"message": "form data expected"}"#)
            }
            let fields = Self.parseForm(String(buffer: body))
            for required in ["from", "to", "subject"] where fields[required]?.isEmpty != false {
                return Self.json(.badRequest, #"{"message": "'\#(required)' parameter is missing"}"#)
            }
            guard fields["text"] != nil || fields["html"] != nil else { return Self.json(.badRequest, #"{"message": "Need at least one of 'text' or 'html'"}"#) }
            if let scripted, scripted != 200 { return Self.json(HTTPResponse.Status(code: scripted), #"{"message": "scripted failure"}"#) }
            let delay = state.withLock { state in
                state.emails.append(Email(domain: domain, fields: fields))
                return state.delay
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            return Self.json(.ok, #"{"id": "<20261125.\#(UUID().uuidString)@\#(domain)>", "message": "Queued. Thank you."}"#)
        }
        // A webhook receiver that is down, for tests that want events to stay queued.
        router.post("/unavailable") { _, _ in Self.json(.serviceUnavailable, "{}") }
        try await server.start(router, label: "fake-mailgun")
    }

    func stop() {
        server.stop()
    }

    /// Waits until `condition` holds, or fails after `timeout`.
    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(
            timeout: timeout, describe: { "fake Mailgun: timed out after \(self.requests) requests" }, until: condition)
    }

    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

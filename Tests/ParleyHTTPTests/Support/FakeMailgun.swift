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
        /// File parts (`attachment`, `inline`) of a multipart request.
        var files: [File] = []
    }

    struct File: Sendable {
        var field: String
        var fileName: String
        var contentType: String
        var bytes: [UInt8]
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
            let body = try await request.body.collect(upTo: 32 << 20)
            let domain = context.parameters.get("domain") ?? ""
            let scripted: Int? = state.withLock { state in
                state.requests += 1
                return state.script.isEmpty ? nil : state.script.removeFirst()
            }
            guard request.headers[.authorization] == expectedAuth else { return Self.json(.unauthorized, #"{"message": "Invalid private key"}"#) }
            // Mailgun takes either form encoding; files only in multipart.
            let contentType = request.headers[.contentType] ?? ""
            var fields: [String: String]
            var files: [File] = []
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                fields = Self.parseForm(String(buffer: body))
            } else if contentType.hasPrefix("multipart/form-data; boundary="),
                let parsed = Self.parseMultipart(Array(buffer: body), boundary: String(contentType.dropFirst("multipart/form-data; boundary=".count)))
            {
                (fields, files) = parsed
            } else {
                return Self.json(.badRequest, #"{"message": "form data expected"}"#)
            }
            for required in ["from", "to", "subject"] where fields[required]?.isEmpty != false {
                return Self.json(.badRequest, #"{"message": "'\#(required)' parameter is missing"}"#)
            }
            guard fields["text"] != nil || fields["html"] != nil else { return Self.json(.badRequest, #"{"message": "Need at least one of 'text' or 'html'"}"#) }
            if let scripted, scripted != 200 { return Self.json(HTTPResponse.Status(code: scripted), #"{"message": "scripted failure"}"#) }
            let delay = state.withLock { state in
                state.emails.append(Email(domain: domain, fields: fields, files: files))
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

    /// A multipart body, read the simple way: split on the delimiter, headers up to the blank line.
    static func parseMultipart(_ body: [UInt8], boundary: String) -> ([String: String], [File])? {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var rest = Array("\r\n".utf8) + body
        var parts: [[UInt8]] = []
        while let range = rest.firstRange(of: delimiter) {
            parts.append(Array(rest[..<range.lowerBound]))
            rest = Array(rest[range.upperBound...])
        }
        guard rest.starts(with: Array("--".utf8)), parts.count >= 2 else { return nil }
        var fields: [String: String] = [:]
        var files: [File] = []
        for part in parts.dropFirst() {
            guard let split = part.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let headers = String(decoding: part[2..<split.lowerBound], as: UTF8.self)
            let content = Array(part[split.upperBound...])
            func parameter(_ name: String) -> String? {
                guard let start = headers.range(of: "\(name)=\"") else { return nil }
                return String(headers[start.upperBound...].prefix { $0 != "\"" })
            }
            guard let name = parameter("name") else { return nil }
            if let fileName = parameter("filename") {
                let type = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
                    .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) } ?? ""
                files.append(File(field: name, fileName: fileName, contentType: type, bytes: content))
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return (fields, files)
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

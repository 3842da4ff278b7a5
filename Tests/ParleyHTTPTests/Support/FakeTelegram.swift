import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// Telegram's Bot API on a loopback port, as far as Parley uses it: `POST /bot{token}/{method}`
/// with JSON bodies for `sendMessage`, `sendPhoto`, `sendDocument`, `getFile` and
/// `answerCallbackQuery`, and files at `GET /file/bot{token}/{file_path}`. It checks the token and
/// each method's required fields, records what was sent, and answers in Telegram's envelope
/// (`{ok, result}` or `{ok: false, error_code, description, parameters}`); tests script the next
/// answers (a 429 with `retry_after`).
final class FakeTelegram: Sendable {
    struct Call: Sendable {
        var method: String
        /// The JSON body, re-serialised so it is Sendable.
        var json: Data

        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
    }

    /// The bot's token; nil: any token is a bot's (the fake every other test's server uses).
    let acceptedToken: String?
    var token: String { acceptedToken ?? "" }

    init(token: String? = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") {
        acceptedToken = token
    }

    /// One fake for the test process, taking any token: where servers whose test does not care
    /// about Telegram send their telegram integrations' checks.
    static let shared = Task<FakeTelegram, any Error> {
        let fake = FakeTelegram(token: nil)
        try await fake.start()
        return fake
    }

    /// The webhook Parley set (`setWebhook`): its URL and secret token.
    var webhook: (url: String, secret: String)? {
        calls.last { $0.method == "setWebhook" }.flatMap { call in
            guard let url = call.body["url"] as? String, let secret = call.body["secret_token"] as? String else { return nil }
            return (url, secret)
        }
    }
    private let state = Mutex<(calls: [Call], script: [Int], files: [String: (type: String, bytes: [UInt8])])>(([], [], [:]))
    private let server = LoopbackServer()

    var calls: [Call] { state.withLock { $0.calls } }
    var sends: [Call] { calls.filter { $0.method.hasPrefix("send") } }
    var url: String { server.baseURL }

    /// The status codes of the next sends: 429 answers with `retry_after: 1`.
    func answer(_ statuses: Int...) {
        state.withLock { $0.script = statuses }
    }

    /// A file Telegram keeps for the bot: its `file_id`.
    func addFile(_ bytes: [UInt8], type: String) -> String {
        let id = "AgAC" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        state.withLock { $0.files[id] = (type, bytes) }
        return id
    }

    func start() async throws {
        let router = Router()
        router.post("/:bot/:method") { [self] request, context -> Response in
            let bot = context.parameters.get("bot") ?? ""
            guard bot.hasPrefix("bot"), bot.count > 3, acceptedToken.map({ bot == "bot\($0)" }) ?? true else {
                return Self.failure(.unauthorized, 401, "Unauthorized")
            }
            let method = context.parameters.get("method") ?? ""
            guard request.headers[.contentType]?.hasPrefix("application/json") == true,
                let object = try? JSONSerialization.jsonObject(with: Data(buffer: try await request.body.collect(upTo: 1 << 20))) as? [String: Any]
            else { return Self.failure(.badRequest, 400, "Bad Request: JSON expected") }
            let json = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            state.withLock { $0.calls.append(Call(method: method, json: json)) }
            switch method {
            case "sendMessage", "sendPhoto", "sendDocument":
                let required = ["sendMessage": "text", "sendPhoto": "photo", "sendDocument": "document"][method] ?? ""
                guard object["chat_id"] != nil else { return Self.failure(.badRequest, 400, "Bad Request: chat_id is empty") }
                guard (object[required] as? String)?.isEmpty == false else { return Self.failure(.badRequest, 400, "Bad Request: \(required) is empty") }
                let scripted: Int? = state.withLock { $0.script.isEmpty ? nil : $0.script.removeFirst() }
                if scripted == 429 {
                    return Self.json(.tooManyRequests, [
                        "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1", "parameters": ["retry_after": 1],
                    ])
                }
                let id = state.withLock { $0.calls.count }
                return Self.json(.ok, ["ok": true, "result": ["message_id": id, "date": 1_790_000_000, "chat": ["id": object["chat_id"] ?? 0]]])
            case "getFile":
                guard let id = object["file_id"] as? String, state.withLock({ $0.files[id] }) != nil else {
                    return Self.failure(.badRequest, 400, "Bad Request: invalid file_id")
                }
                return Self.json(.ok, ["ok": true, "result": ["file_id": id, "file_unique_id": "u", "file_path": "documents/\(id)"]])
            case "answerCallbackQuery", "setWebhook":
                return Self.json(.ok, ["ok": true, "result": true])
            case "getMe":
                return Self.json(.ok, ["ok": true, "result": ["id": 123_456_789, "is_bot": true, "first_name": "Channel 5", "username": "channel5_bot"]])
            default:
                return Self.failure(.notFound, 404, "Not Found: method not found")
            }
        }
        router.get("/file/:bot/documents/:id") { [self] _, context -> Response in
            guard context.parameters.get("bot") == "bot\(token)", let file = state.withLock({ $0.files[context.parameters.get("id") ?? ""] }) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        try await server.start(router, label: "fake-telegram")
    }

    func stop() {
        server.stop()
    }

    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "fake Telegram: timed out after \(self.calls.count) calls" }, until: condition)
    }

    static func failure(_ status: HTTPResponse.Status, _ code: Int, _ description: String) -> Response {
        json(status, ["ok": false, "error_code": code, "description": description])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

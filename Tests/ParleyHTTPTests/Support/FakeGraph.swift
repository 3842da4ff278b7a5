import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// Meta's Graph API on a loopback port (under `/v21.0`), as far as Messenger and Instagram use
/// it: `GET me?fields=…` (the page, and its Instagram business account when asked),
/// `POST {pageId}/subscribed_apps` and the Send API, `POST me/messages`. It checks the Bearer
/// token and each call's required fields, keeps the 24-hour window per recipient (opened by
/// `userWrote`; outside it only `messaging_type: MESSAGE_TAG` with a `tag` passes), records what
/// was sent, and answers as Graph does (`{recipient_id, message_id}`, or
/// `{error: {message, type, code, error_subcode, fbtrace_id}}`). Files people send are served
/// from `/cdn/{name}`, as Meta's CDN does, without credentials. The Conversions API for business
/// messaging: `GET`/`POST {pageId}/dataset` (none until made) and `POST {datasetId}/events`, each
/// event checked for what Meta requires (`event_name`, `event_time`, `action_source`,
/// `messaging_channel`, `user_data` naming the page and the page-scoped user).
final class FakeGraph: Sendable {
    struct Call: Sendable {
        var path: String
        var json: Data

        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
        /// `message` of a Send API call.
        var message: [String: Any] { body["message"] as? [String: Any] ?? [:] }
        /// `message.attachment.payload` of a Send API call.
        var attachmentPayload: [String: Any] { (message["attachment"] as? [String: Any])?["payload"] as? [String: Any] ?? [:] }
    }

    static let pageId = "1234567890"
    static let businessId = "17841400000000001"

    /// The page's token; nil: any token is a page's (the fake every other test's server uses).
    let acceptedToken: String?
    var token: String { acceptedToken ?? "any" }

    init(token: String? = "EAAGm0PX4ZCpsBAPageToken") {
        acceptedToken = token
    }

    static let shared = Task<FakeGraph, any Error> {
        let fake = FakeGraph(token: nil)
        try await fake.start()
        return fake
    }

    private struct State {
        var calls: [Call] = []
        /// Error codes (`code`, `subcode`) of the next sends.
        var script: [(Int, Int?)] = []
        var lastInbound: [String: Date] = [:]
        var files: [String: (type: String, bytes: [UInt8])] = [:]
        var dataset: String?
    }

    private let state = Mutex(State())
    private let server = LoopbackServer()

    static let datasetId = "1234567890123456"

    var calls: [Call] { state.withLock { $0.calls } }
    var sends: [Call] { calls.filter { $0.path == "me/messages" } }
    /// The API base Parley is given: the version is in the path.
    var url: String { server.baseURL + "/v21.0" }
    var cdn: String { server.baseURL + "/cdn" }

    /// The person wrote to the page at `at`: the window to answer them is open for 24 hours.
    func userWrote(_ psid: String, at: Date = Date()) {
        state.withLock { $0.lastInbound[psid] = at }
    }

    /// The next sends fail with these Graph error codes (`(613, nil)`: a rate limit).
    func fail(_ errors: (Int, Int?)...) {
        state.withLock { $0.script = errors }
    }

    /// A file on Meta's CDN: its URL.
    func addFile(_ name: String, _ bytes: [UInt8], type: String) -> String {
        state.withLock { $0.files[name] = (type, bytes) }
        return "\(cdn)/\(name)"
    }

    func start() async throws {
        let router = Router()
        router.get("/v21.0/me") { [self] request, _ -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            let raw = request.uri.queryParameters.get("fields") ?? ""
            let fields = raw.removingPercentEncoding ?? raw
            var page: [String: Any] = ["id": Self.pageId, "name": "Channel 5"]
            if fields.contains("instagram_business_account{") {
                page["instagram_business_account"] = ["id": Self.businessId, "username": "channel5", "name": "Channel 5 Shop"]
            }
            return Self.json(.ok, page)
        }
        router.post("/v21.0/:page/subscribed_apps") { [self] request, context -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            let page = context.parameters.get("page") ?? ""
            guard let object = try await Self.object(request) else { return Self.error(100, nil, "(#100) The request body must be JSON") }
            record("\(page)/subscribed_apps", object)
            guard page == Self.pageId else { return Self.error(100, 33, "Unsupported post request. Object with ID '\(page)' does not exist") }
            guard let fields = object["subscribed_fields"] as? [String], !fields.isEmpty else {
                return Self.error(100, nil, "(#100) The parameter subscribed_fields is required")
            }
            return Self.json(.ok, ["success": true])
        }
        router.post("/v21.0/me/messages") { [self] request, _ -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            guard let object = try await Self.object(request) else { return Self.error(100, nil, "(#100) The request body must be JSON") }
            record("me/messages", object)
            guard let psid = (object["recipient"] as? [String: Any])?["id"] as? String, !psid.isEmpty else {
                return Self.error(100, 2_018_001, "(#100) No matching user found")
            }
            if let problem = Self.problem(object) { return Self.error(100, nil, "(#100) \(problem)") }
            let scripted: (code: Int, subcode: Int?)? = state.withLock { $0.script.isEmpty ? nil : $0.script.removeFirst() }
            if let scripted {
                let message = scripted.code == 613 ? "(#613) Calls to this api have exceeded the rate limit." : "(#\(scripted.code)) Scripted failure"
                return Self.error(scripted.code, scripted.subcode, message)
            }
            let tagged = object["messaging_type"] as? String == "MESSAGE_TAG"
            if !tagged {
                let last = state.withLock { $0.lastInbound[psid] }
                guard let last, Date().timeIntervalSince(last) < 24 * 3600 else {
                    return Self.error(10, 2_018_278, "(#10) This message is sent outside of allowed window.")
                }
            }
            return Self.json(.ok, ["recipient_id": psid, "message_id": "m_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"])
        }
        router.get("/v21.0/:page/dataset") { [self] request, context -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            guard context.parameters.get("page") == Self.pageId else { return Self.error(100, 33, "Object does not exist") }
            return Self.json(.ok, state.withLock { $0.dataset }.map { ["id": $0] } ?? [:])
        }
        router.post("/v21.0/:page/dataset") { [self] request, context -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            guard context.parameters.get("page") == Self.pageId else { return Self.error(100, 33, "Object does not exist") }
            record("\(Self.pageId)/dataset", [:])
            state.withLock { $0.dataset = Self.datasetId }
            return Self.json(.ok, ["id": Self.datasetId])
        }
        // One parameter name per path position (the router's trie): `:page` is the dataset here.
        router.post("/v21.0/:page/events") { [self] request, context -> Response in
            guard authorized(request) else { return Self.invalidToken() }
            guard context.parameters.get("page") == state.withLock({ $0.dataset }) else { return Self.error(100, 33, "Dataset does not exist") }
            guard let object = try await Self.object(request), let events = object["data"] as? [[String: Any]], !events.isEmpty else {
                return Self.error(100, nil, "(#100) The parameter data is required")
            }
            record("\(Self.datasetId)/events", object)
            for event in events {
                let user = event["user_data"] as? [String: Any] ?? [:]
                guard event["event_name"] is String, event["event_time"] is Int, event["action_source"] as? String == "business_messaging",
                    event["messaging_channel"] as? String == "messenger", user["page_id"] as? String == Self.pageId,
                    user["page_scoped_user_id"] is String
                else { return Self.error(100, 2_804_050, "(#100) Invalid parameter: an event lacks what business messaging requires") }
            }
            return Self.json(.ok, ["events_received": events.count, "messages": [String](), "fbtrace_id": "AbCdEfGh123"])
        }
        router.get("/cdn/:name") { [self] _, context -> Response in
            guard let file = state.withLock({ $0.files[context.parameters.get("name") ?? ""] }) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: file.type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        try await server.start(router, label: "fake-graph")
    }

    /// What the Send API refuses in a body, as far as Parley could get it wrong.
    static func problem(_ body: [String: Any]) -> String? {
        switch body["messaging_type"] as? String {
        case "RESPONSE", "UPDATE": break
        case "MESSAGE_TAG":
            guard let tag = body["tag"] as? String, ["HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"].contains(tag) else {
                return "Param tag must be one of {HUMAN_AGENT, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE} for MESSAGE_TAG"
            }
        default: return "Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"
        }
        guard let message = body["message"] as? [String: Any] else { return "Param message must be a JSON object" }
        if let replies = message["quick_replies"] {
            guard let replies = replies as? [[String: Any]], (1...13).contains(replies.count), replies.allSatisfy(validQuickReply) else { return "Param message[quick_replies] must be 1 to 13 text replies with a title of at most 20 characters and a payload" }
        }
        if let text = message["text"] {
            guard let text = text as? String, (1...2000).contains(text.count) else { return "Param message[text] must be 1 to 2000 characters" }
            return message["attachment"] == nil ? nil : "Cannot send both text and attachment"
        }
        guard let attachment = message["attachment"] as? [String: Any], let payload = attachment["payload"] as? [String: Any] else {
            return "Must send either message[text] or message[attachment]"
        }
        switch attachment["type"] as? String {
        case "image", "video", "audio", "file":
            return (payload["url"] as? String)?.hasPrefix("http") == true ? nil : "Param message[attachment][payload][url] must be a URL"
        case "template":
            switch payload["template_type"] as? String {
            case "button":
                guard let text = payload["text"] as? String, (1...640).contains(text.count) else { return "Param payload[text] must be 1 to 640 characters" }
                guard let buttons = payload["buttons"] as? [[String: Any]], (1...3).contains(buttons.count), buttons.allSatisfy(validButton) else {
                    return "Param payload[buttons] must be 1 to 3 buttons"
                }
                return nil
            case "generic":
                guard let elements = payload["elements"] as? [[String: Any]], (1...10).contains(elements.count) else {
                    return "Param payload[elements] must be 1 to 10 elements"
                }
                for element in elements {
                    guard let title = element["title"] as? String, (1...80).contains(title.count) else { return "Param elements[][title] must be 1 to 80 characters" }
                    if let buttons = element["buttons"] as? [[String: Any]], !(buttons.count <= 3 && buttons.allSatisfy(validButton)) {
                        return "Param elements[][buttons] must be at most 3 buttons"
                    }
                }
                return nil
            default: return "Unsupported template_type"
            }
        default: return "Param message[attachment][type] must be one of {image, audio, video, file, template}"
        }
    }

    static func validQuickReply(_ reply: [String: Any]) -> Bool {
        guard reply["content_type"] as? String == "text", let title = reply["title"] as? String, (1...20).contains(title.count) else { return false }
        return reply["payload"] is String
    }

    static func validButton(_ button: [String: Any]) -> Bool {
        guard let title = button["title"] as? String, (1...20).contains(title.count) else { return false }
        switch button["type"] as? String {
        case "web_url": return (button["url"] as? String)?.hasPrefix("http") == true
        case "postback": return (button["payload"] as? String).map { (1...1000).contains($0.count) } ?? false
        default: return false
        }
    }

    private func authorized(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else { return false }
        return acceptedToken.map { header == "Bearer \($0)" } ?? true
    }

    private func record(_ path: String, _ object: [String: Any]) {
        let json = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        state.withLock { $0.calls.append(Call(path: path, json: json)) }
    }

    private static func object(_ request: Request) async throws -> [String: Any]? {
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(buffer: try await request.body.collect(upTo: 1 << 20))) as? [String: Any]
    }

    func stop() {
        server.stop()
    }

    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "fake Graph API: timed out after \(self.calls.count) calls" }, until: condition)
    }

    static func invalidToken() -> Response {
        error(190, nil, "Invalid OAuth access token - Cannot parse access token", status: .badRequest, type: "OAuthException")
    }

    static func error(_ code: Int, _ subcode: Int?, _ message: String, status: HTTPResponse.Status = .badRequest, type: String = "OAuthException") -> Response {
        var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AbCdEfGh123"]
        if let subcode { error["error_subcode"] = subcode }
        return json(status, ["error": error])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Crypto
import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// The WhatsApp Cloud API on a loopback port, as far as Parley uses it (Graph API, version in the
/// base URL): `GET /{phone-number-id}` (the number's `display_phone_number`), `POST
/// /{phone-number-id}/messages`, `GET /{media-id}` (a media's short-lived URL) and that URL. It
/// checks the Bearer token and each message type's required fields and limits, records what was
/// sent, answers `{messaging_product, contacts, messages: [{id: "wamid…"}]}` or Graph's error
/// `{error: {message, type, code, fbtrace_id}}`, and signs the notifications tests send Parley
/// (`X-Hub-Signature-256` under the app secret).
final class FakeWhatsApp: Sendable {
    struct Send: Sendable {
        var wamid: String
        var json: Data
        /// Whether the user's 24-hour window was open, or the message a template: else WhatsApp
        /// accepts the message and later reports it `failed` with 131047.
        var deliverable: Bool

        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
        var type: String? { body["type"] as? String }
        func field(_ name: String) -> [String: Any] { body[name] as? [String: Any] ?? [:] }
    }

    let token = "EAAJB3xyzWhatsAppToken"
    let appSecret = "4a5b6c7d8e9f00112233445566778899"
    let phoneNumberId = "106540352242922"
    let displayPhoneNumber = "+1 555-000-2222"
    let accountId = "102290129340398"

    private let state = Mutex<(sends: [Send], windows: Set<String>, script: [Int], media: [String: (type: String, bytes: [UInt8])], mediaFetches: Int)>(
        ([], [], [], [:], 0))
    private let server = LoopbackServer()

    var url: String { server.baseURL }
    var sends: [Send] { state.withLock { $0.sends } }
    var mediaFetches: Int { state.withLock { $0.mediaFetches } }

    /// The user wrote within the last 24 hours: free-form messages reach them.
    func openWindow(_ waId: String) {
        _ = state.withLock { $0.windows.insert(waId) }
    }

    /// More than 24 hours since the user last wrote.
    func closeWindow(_ waId: String) {
        _ = state.withLock { $0.windows.remove(waId) }
    }

    /// Graph error codes for the next sends (130429: throughput limit).
    func answer(_ codes: Int...) {
        state.withLock { $0.script = codes }
    }

    /// A media WhatsApp keeps for the business: its id, as an inbound message names it.
    func addMedia(_ bytes: [UInt8], type: String) -> String {
        let id = String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
        state.withLock { $0.media[id] = (type, bytes) }
        return id
    }

    /// `sha256={hex}` of `body` under `secret` (the app's by default).
    func signature(_ body: Data, secret: String? = nil) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data((secret ?? appSecret).utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// A notification for the number: `value` holds `messages` and `contacts`, or `statuses`.
    func notification(_ value: [String: Any], phoneNumberId: String? = nil) -> [String: Any] {
        var value = value
        value["messaging_product"] = "whatsapp"
        value["metadata"] = ["display_phone_number": "15550002222", "phone_number_id": phoneNumberId ?? self.phoneNumberId]
        return ["object": "whatsapp_business_account", "entry": [["id": accountId, "changes": [["field": "messages", "value": value]]]]]
    }

    func start() async throws {
        let router = Router()
        router.get("/media/:id") { [self] request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return Self.error(.unauthorized, 190, "Invalid OAuth access token.") }
            guard let media = state.withLock({ state -> (type: String, bytes: [UInt8])? in
                state.mediaFetches += 1
                return state.media[context.parameters.get("id") ?? ""]
            }) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: media.type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: media.bytes)))
        }
        router.get("/:id") { [self] request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return Self.error(.unauthorized, 190, "Invalid OAuth access token.") }
            let id = context.parameters.get("id") ?? ""
            if id == phoneNumberId {
                return Self.json(.ok, ["id": id, "display_phone_number": displayPhoneNumber, "verified_name": "Channel 5", "quality_rating": "GREEN"])
            }
            if let media = state.withLock({ $0.media[id] }) {
                return Self.json(.ok, [
                    "messaging_product": "whatsapp", "id": id, "url": "\(url)/media/\(id)", "mime_type": media.type,
                    "sha256": SHA256.hash(data: media.bytes).map { String(format: "%02x", $0) }.joined(), "file_size": media.bytes.count,
                ])
            }
            return Self.error(.badRequest, 100, "Unsupported get request. Object with ID '\(id)' does not exist", subcode: 33)
        }
        router.post("/:id/messages") { [self] request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(token)" else { return Self.error(.unauthorized, 190, "Invalid OAuth access token.") }
            guard context.parameters.get("id") == phoneNumberId else {
                return Self.error(.badRequest, 100, "Unsupported post request.", subcode: 33)
            }
            guard request.headers[.contentType]?.hasPrefix("application/json") == true,
                let body = try? JSONSerialization.jsonObject(with: Data(buffer: try await request.body.collect(upTo: 1 << 20))) as? [String: Any]
            else { return Self.error(.badRequest, 100, "Invalid parameter") }
            if let problem = Self.problem(body) { return Self.error(.badRequest, 100, "Invalid parameter: \(problem)") }
            if let code: Int = state.withLock({ $0.script.isEmpty ? nil : $0.script.removeFirst() }) {
                return Self.error(.badRequest, code, code == 130_429 ? "Rate limit hit" : "Scripted error")
            }
            let to = (body["to"] as? String ?? "").filter(\.isNumber)
            let wamid = "wamid.HBgL" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let json = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
            state.withLock {
                $0.sends.append(Send(wamid: wamid, json: json, deliverable: body["type"] as? String == "template" || $0.windows.contains(to)))
            }
            return Self.json(.ok, ["messaging_product": "whatsapp", "contacts": [["input": body["to"] ?? "", "wa_id": to]], "messages": [["id": wamid]]])
        }
        try await server.start(router, label: "fake-whatsapp")
    }

    func stop() {
        server.stop()
    }

    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "fake WhatsApp: timed out after \(self.sends.count) sends" }, until: condition)
    }

    /// What the Cloud API refuses of a message body, by its documented rules.
    static func problem(_ body: [String: Any]) -> String? {
        guard body["messaging_product"] as? String == "whatsapp" else { return "messaging_product must be whatsapp" }
        guard let to = body["to"] as? String, to.filter(\.isNumber).count >= 8 else { return "to" }
        let type = body["type"] as? String ?? "text"
        guard let object = body[type] as? [String: Any] else { return "\(type) object is required" }
        switch type {
        case "text":
            guard let text = object["body"] as? String, !text.isEmpty, text.count <= 4096 else { return "text.body" }
        case "image", "document", "audio", "video", "sticker":
            guard object["link"] is String || object["id"] is String else { return "\(type).link or \(type).id" }
            if let caption = object["caption"] as? String, caption.count > 1024 { return "\(type).caption" }
        case "location":
            guard object["latitude"] is NSNumber, object["longitude"] is NSNumber else { return "location.latitude and longitude" }
        case "template":
            guard object["name"] is String, (object["language"] as? [String: Any])?["code"] is String else { return "template.name and language.code" }
        case "interactive":
            guard let body = (object["body"] as? [String: Any])?["text"] as? String, !body.isEmpty, body.count <= 1024,
                let action = object["action"] as? [String: Any]
            else { return "interactive.body.text and action" }
            switch object["type"] as? String {
            case "button":
                guard let buttons = action["buttons"] as? [[String: Any]], (1...3).contains(buttons.count),
                    buttons.allSatisfy({ button in
                        let reply = button["reply"] as? [String: Any]
                        return (1...20).contains((reply?["title"] as? String)?.count ?? 0) && (1...256).contains((reply?["id"] as? String)?.count ?? 0)
                    })
                else { return "interactive.action.buttons: 1 to 3 reply buttons, titles up to 20 characters" }
            case "list":
                guard let button = action["button"] as? String, (1...20).contains(button.count),
                    let rows = (action["sections"] as? [[String: Any]])?.flatMap({ $0["rows"] as? [[String: Any]] ?? [] }), (1...10).contains(rows.count),
                    rows.allSatisfy({ (1...24).contains(($0["title"] as? String)?.count ?? 0) })
                else { return "interactive.action: a button and 1 to 10 rows, titles up to 24 characters" }
            case "cta_url":
                guard let parameters = action["parameters"] as? [String: Any], parameters["url"] is String,
                    (1...20).contains((parameters["display_text"] as? String)?.count ?? 0)
                else { return "interactive.action.parameters: display_text and url" }
            default:
                return "interactive.type"
            }
        default:
            return "type \(type)"
        }
        return nil
    }

    static func error(_ status: HTTPResponse.Status, _ code: Int, _ message: String, subcode: Int? = nil) -> Response {
        var error: [String: Any] = ["message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"]
        if let subcode { error["error_subcode"] = subcode }
        return json(status, ["error": error])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

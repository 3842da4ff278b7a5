import Crypto
import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// MessageBird on a loopback port, as far as Parley uses it, every call with `Authorization:
/// AccessKey {accessKey}` and refusals as MessageBird's `{errors: [{code, description,
/// parameter}]}`:
/// - the SMS API, `POST /messages`, checked for what MessageBird requires (`originator` the
///   account's number, `recipients` a non-empty list of MSISDNs, a non-empty `body`), each SMS
///   recorded and answered 201 with the message object (`id`, `href`, `recipients.items`…);
/// - the Conversations API, `POST /v1/send` (`to`, `from` one of the account's channels, `type`
///   and the content that type needs), answered `{id, status: "accepted"}`;
/// - the media it keeps for received messages (`GET /media/{id}`).
/// It builds what MessageBird sends Parley (a Flow Builder SMS forward, a status report's URL, a
/// Conversations event) and signs calls as MessageBird does (`MessageBird-Signature-JWT`),
/// independently of Parley's verifier.
final class FakeMessageBird: Sendable {
    struct Sent: Sendable {
        var id: String
        /// The JSON body, re-serialised so it is Sendable.
        var json: Data

        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
        var to: String? { body["to"] as? String }
        var type: String? { body["type"] as? String }
        var content: [String: Any] { body["content"] as? [String: Any] ?? [:] }
        var text: String? { content["text"] as? String }
        var reportUrl: String? { body["reportUrl"] as? String }
    }

    /// An SMS sent by the SMS API.
    struct SentSMS: Sendable {
        var id: String
        var json: Data

        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
        var originator: String? { body["originator"] as? String }
        var recipients: [String] { (body["recipients"] as? [Any] ?? []).map { "\($0)" } }
        var text: String? { body["body"] as? String }
        var reportUrl: String? { body["reportUrl"] as? String }
        var reference: String? { body["reference"] as? String }
    }

    let accessKey = "live_gshuPaZoeEG6ovbc8M79w0QyM"
    /// The account's SMS number, as the spec's example spells an originator.
    let smsNumber = "12262121021"
    let signingKey = "36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb"
    /// The account's channel (an SMS number's or a WhatsApp number's): the integration's originator.
    let channelId = "619747f69cf940a98fb443140ce9aed2"
    /// The channel's number, as MessageBird writes the business side of a received message.
    let channelNumber = "+15145550000"
    private let state = Mutex<(sent: [Sent], sms: [SentSMS], requests: Int, script: [Int], media: [String: (type: String, bytes: [UInt8])])>(
        ([], [], 0, [], [:]))
    private let server = LoopbackServer()

    var sent: [Sent] { state.withLock { $0.sent } }
    var sms: [SentSMS] { state.withLock { $0.sms } }
    var requests: Int { state.withLock { $0.requests } }
    var url: String { server.baseURL }

    /// The status codes of the next sends, in order; after them every send is accepted.
    func answer(_ statuses: Int...) {
        state.withLock { $0.script = statuses }
    }

    /// Keeps `bytes` as a received message's media: its URL, as MessageBird's webhook gives it.
    func addMedia(_ bytes: [UInt8], type: String) -> String {
        let id = UUID().uuidString.lowercased()
        state.withLock { $0.media[id] = (type, bytes) }
        return "\(url)/media/\(id)"
    }

    func start() async throws {
        let router = Router()
        router.post("/v1/send") { [self] request, _ -> Response in
            let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let scripted: Int? = state.withLock { state in
                state.requests += 1
                return state.script.isEmpty ? nil : state.script.removeFirst()
            }
            guard request.headers[.authorization] == "AccessKey \(accessKey)" else {
                return Self.error(.unauthorized, code: 2, "Request not allowed (incorrect access_key)", parameter: "access_key")
            }
            guard request.headers[.contentType]?.hasPrefix("application/json") == true,
                let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return Self.error(.badRequest, code: 21, "Request body must be JSON", parameter: nil) }
            guard let to = body["to"] as? String, to.hasPrefix("+"), to.dropFirst().allSatisfy(\.isNumber) else {
                return Self.error(HTTPResponse.Status(code: 422), code: 21, "to is not a valid phone number", parameter: "to")
            }
            guard body["from"] as? String == channelId else { return Self.error(.notFound, code: 20, "channel not found", parameter: "from") }
            guard let type = body["type"] as? String, let content = body["content"] as? [String: Any], Self.valid(type: type, content: content)
            else { return Self.error(HTTPResponse.Status(code: 422), code: 21, "content is not valid for its type", parameter: "content") }
            if let scripted, !(200..<300).contains(scripted) {
                return Self.error(HTTPResponse.Status(code: scripted), code: 25, "Scripted failure", parameter: nil)
            }
            let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            state.withLock { $0.sent.append(Sent(id: id, json: data)) }
            return Self.json(.accepted, ["id": id, "status": "accepted", "fallback": NSNull()])
        }
        router.post("/messages") { [self] request, _ -> Response in
            let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let scripted: Int? = state.withLock { state in
                state.requests += 1
                return state.script.isEmpty ? nil : state.script.removeFirst()
            }
            guard request.headers[.authorization] == "AccessKey \(accessKey)" else {
                return Self.error(.unauthorized, code: 2, "Request not allowed (incorrect access_key)", parameter: "access_key")
            }
            guard request.headers[.contentType]?.hasPrefix("application/json") == true,
                let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return Self.error(.badRequest, code: 21, "Request body must be JSON", parameter: nil) }
            guard let originator = body["originator"] as? String, !originator.isEmpty else {
                return Self.error(HTTPResponse.Status(code: 422), code: 9, "originator is required", parameter: "originator")
            }
            guard originator.drop(while: { $0 == "+" }) == smsNumber else {
                return Self.error(HTTPResponse.Status(code: 422), code: 10, "originator is not one of your numbers", parameter: "originator")
            }
            let recipients = (body["recipients"] as? [Any] ?? []).map { "\($0)" }
            guard !recipients.isEmpty, recipients.allSatisfy({ $0.count >= 8 && $0.allSatisfy(\.isNumber) }) else {
                return Self.error(HTTPResponse.Status(code: 422), code: 9, "no (correct) recipients found", parameter: "recipient")
            }
            guard let text = body["body"] as? String, !text.isEmpty else {
                return Self.error(HTTPResponse.Status(code: 422), code: 9, "body is required", parameter: "body")
            }
            if let scripted, !(200..<300).contains(scripted) {
                return Self.error(HTTPResponse.Status(code: scripted), code: 25, "Scripted failure", parameter: nil)
            }
            let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            state.withLock { $0.sms.append(SentSMS(id: id, json: data)) }
            let now = "2026-03-01T10:00:00+00:00"
            return Self.json(.created, [
                "id": id, "href": "https://rest.messagebird.com/messages/\(id)", "direction": "mt", "type": "sms", "originator": originator,
                "body": text, "reference": body["reference"] ?? NSNull(), "validity": NSNull(), "gateway": 10, "typeDetails": [:],
                "datacoding": "plain", "mclass": 1, "scheduledDatetime": NSNull(), "createdDatetime": now,
                "recipients": [
                    "totalCount": recipients.count, "totalSentCount": recipients.count, "totalDeliveredCount": 0, "totalDeliveryFailedCount": 0,
                    "items": recipients.map { ["recipient": Int($0) ?? 0, "status": "sent", "statusDatetime": now] },
                ],
            ])
        }
        router.get("/media/:id") { [self] request, context -> Response in
            guard request.headers[.authorization] == "AccessKey \(accessKey)" else {
                return Self.error(.unauthorized, code: 2, "Request not allowed (incorrect access_key)", parameter: "access_key")
            }
            guard let item = state.withLock({ $0.media[context.parameters.get("id") ?? ""] }) else {
                return Self.error(.notFound, code: 20, "media not found", parameter: nil)
            }
            return Response(status: .ok, headers: [.contentType: item.type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: item.bytes)))
        }
        try await server.start(router, label: "fake-messagebird")
    }

    /// What each content type needs: `text`; `image`, `video`, `audio`, `file` a `url`; a
    /// location's numbers.
    static func valid(type: String, content: [String: Any]) -> Bool {
        switch type {
        case "text": return (content["text"] as? String)?.isEmpty == false
        case "image", "video", "audio", "file": return ((content[type] as? [String: Any])?["url"] as? String)?.hasPrefix("http") == true
        case "location":
            let location = content["location"] as? [String: Any]
            func isNumber(_ value: Any?) -> Bool { value is Double || value is Int || value is NSNumber }
            return isNumber(location?["latitude"]) && isNumber(location?["longitude"])
        default: return false
        }
    }

    func stop() {
        server.stop()
    }

    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "fake MessageBird: timed out after \(self.requests) requests" }, until: condition)
    }

    // MARK: Signing webhook calls

    /// The `MessageBird-Signature-JWT` MessageBird puts on a call of `url` with `body`: HS256 under
    /// the signing key over `{iss, nbf, exp, jti, url_hash, payload_hash}`, valid for a minute from
    /// `issued`. `claims` replaces or adds claims (nil values remove them).
    static func signature(url: String, body: Data, signingKey: String, issued: Date = Date(), claims: [String: Any?] = [:]) -> String {
        func base64URL(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
        let seconds = Int(issued.timeIntervalSince1970)
        var payload: [String: Any] = [
            "iss": "MessageBird", "nbf": seconds, "exp": seconds + 60, "jti": UUID().uuidString.lowercased(), "url_hash": hex(Data(url.utf8)),
        ]
        if !body.isEmpty { payload["payload_hash"] = hex(body) }
        for (name, value) in claims { payload[name] = value }
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claimsPart = base64URL((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data())
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(claimsPart)".utf8), using: SymmetricKey(data: Data(signingKey.utf8)))
        return "\(header).\(claimsPart).\(base64URL(Data(mac)))"
    }

    /// What the Flow Builder's "Forward to URL" step posts for an SMS `from` sent to the number:
    /// MessageBird's message id, the sender's and the number's MSISDNs, the text.
    func forwardedSMS(from: String, _ text: String, id: String = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()) -> [String: Any] {
        [
            "id": id, "originator": String(from.drop(while: { $0 == "+" })), "recipient": smsNumber, "payload": text,
            "createdDatetime": "2026-03-01T10:00:00+00:00",
        ]
    }

    /// The URL MessageBird calls (GET) to report `status` of an SMS: its `reportUrl` with the
    /// report's parameters appended, percent-encoded as MessageBird sends them.
    func statusReportURL(_ sms: SentSMS, _ status: String, errorCode: Int? = nil, reason: String? = nil) -> String? {
        guard let reportUrl = sms.reportUrl else { return nil }
        var parameters = [
            ("id", sms.id), ("reference", sms.reference ?? ""), ("recipient", sms.recipients.first ?? ""), ("status", status),
            ("statusDatetime", "2026-03-01T10:00:05+00:00"),
        ]
        if let errorCode { parameters.append(("statusErrorCode", String(errorCode))) }
        if let reason { parameters.append(("statusReason", reason)) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = parameters.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&")
        return reportUrl + (reportUrl.contains("?") ? "&" : "?") + query
    }

    /// A `message.created` event of a message the user sent from `from` to the channel.
    func received(
        from: String, type: String = "text", content: [String: Any], id: String = UUID().uuidString.lowercased(),
        contact: [String: Any] = ["firstName": "Ann", "lastName": "Lee", "displayName": "Ann Lee"]
    ) -> [String: Any] {
        [
            "type": "message.created",
            "contact": ["id": "9354647c5a144d6b9a0e6f6e38b8f3bc", "msisdn": Int(from.dropFirst()) ?? 0, "customDetails": [:]].merging(contact) { $1 },
            "conversation": ["id": "2e15efafec384e1c82e9842075e87beb", "contactId": "9354647c5a144d6b9a0e6f6e38b8f3bc", "status": "active"],
            "message": [
                "id": id, "conversationId": "2e15efafec384e1c82e9842075e87beb", "platform": "sms", "to": channelNumber, "from": from,
                "channelId": channelId, "type": type, "content": content, "direction": "received", "status": "received",
                "createdDatetime": "2026-03-01T10:00:00Z", "updatedDatetime": "2026-03-01T10:00:00Z",
            ],
        ]
    }

    /// A `message.updated` event of a message Parley sent, at `status`.
    func status(_ sent: Sent, _ status: String, error: [String: Any]? = nil) -> [String: Any] {
        var message: [String: Any] = [
            "id": sent.id, "conversationId": "2e15efafec384e1c82e9842075e87beb", "platform": "sms", "to": sent.to ?? "", "from": channelId,
            "channelId": channelId, "type": sent.type ?? "text", "content": sent.content, "direction": "sent", "status": status,
            "createdDatetime": "2026-03-01T10:00:00Z", "updatedDatetime": "2026-03-01T10:00:05Z",
        ]
        if let error { message["error"] = error }
        return ["type": "message.updated", "message": message]
    }

    static func error(_ status: HTTPResponse.Status, code: Int, _ description: String, parameter: String?) -> Response {
        json(status, ["errors": [["code": code, "description": description, "parameter": parameter.map { $0 as Any } ?? NSNull()]]])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

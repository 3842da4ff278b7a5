import Crypto
import Foundation
import Hummingbird
import NIOCore
import ParleyTestSupport
import Synchronization

/// Twilio's REST API on a loopback port, as far as Parley uses it: the Messages resource
/// (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`) and a phone number's record
/// (`GET …/IncomingPhoneNumbers/{Sid}.json`). It checks Basic auth `AccountSid:AuthToken` and the
/// fields Twilio requires, records each accepted message, and answers in Twilio's JSON (201 with a
/// `sid`; errors as `{code, message, more_info, status}`). Tests script the next answers' statuses.
final class FakeTwilio: Sendable {
    struct SMS: Sendable {
        var account: String
        var sid: String
        /// Every field as posted; `MediaUrl` may repeat, so the values are kept in order.
        var fields: [(String, String)]

        subscript(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    }

    let accountSid: String
    let authToken: String
    let phoneNumberSid = "PN0674df0ecee0c9819bca0ff0bc0a159e"
    let phoneNumber = "+15550001111"
    private let state = Mutex<(messages: [SMS], requests: Int, lookups: Int, script: [Int])>(([], 0, 0, []))
    /// An MMS's media as Twilio keeps them, by media sid.
    private let media = Mutex<[String: (type: String, bytes: [UInt8])]>([:])
    private let server = LoopbackServer()

    var messages: [SMS] { state.withLock { $0.messages } }
    var requests: Int { state.withLock { $0.requests } }
    var numberLookups: Int { state.withLock { $0.lookups } }
    var url: String { server.baseURL }

    init(accountSid: String = "ACa1b4c65ee0722712fab89867cb14eac7", authToken: String = "160c024303f53049e1e060fd67ca6aefc") {
        self.accountSid = accountSid
        self.authToken = authToken
    }

    /// Keeps `bytes` as an inbound MMS's media: its URL, as Twilio's webhook gives it.
    func addMedia(_ bytes: [UInt8], type: String) -> String {
        let sid = "ME" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        media.withLock { $0[sid] = (type, bytes) }
        return "\(url)/2010-04-01/Accounts/\(accountSid)/Messages/MM0001/Media/\(sid)"
    }

    /// The status codes of the next Messages answers, in order; after them every request is accepted.
    func answer(_ statuses: Int...) {
        state.withLock { $0.script = statuses }
    }

    func start() async throws {
        let router = Router()
        let expectedAuth = "Basic " + Data("\(accountSid):\(authToken)".utf8).base64EncodedString()
        router.post("/2010-04-01/Accounts/:account/Messages.json") { [self] request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let account = context.parameters.get("account") ?? ""
            let scripted: Int? = state.withLock { state in
                state.requests += 1
                return state.script.isEmpty ? nil : state.script.removeFirst()
            }
            guard request.headers[.authorization] == expectedAuth, account == accountSid else {
                return Self.error(.unauthorized, code: 20003, "Authenticate")
            }
            guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
                return Self.error(.badRequest, code: 20001, "Form parameters expected")
            }
            let fields = Self.parseForm(String(buffer: body))
            func value(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
            guard let to = value("To"), to.hasPrefix("+") else {
                return Self.error(.badRequest, code: 21211, "The 'To' number \(value("To") ?? "") is not a valid phone number.")
            }
            guard value("From") == phoneNumber || value("MessagingServiceSid")?.hasPrefix("MG") == true else {
                return Self.error(.badRequest, code: 21606, "The From phone number is not a valid, SMS-capable inbound phone number for your account.")
            }
            guard value("Body")?.isEmpty == false || value("MediaUrl") != nil else {
                return Self.error(.badRequest, code: 21602, "Message body is required.")
            }
            if let scripted, scripted != 201 {
                return Self.error(HTTPResponse.Status(code: scripted), code: 30001, "Scripted failure")
            }
            let sid = "SM" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            state.withLock { $0.messages.append(SMS(account: account, sid: sid, fields: fields)) }
            return Self.json(.created, [
                "sid": sid, "account_sid": account, "to": to, "from": value("From") ?? "", "body": value("Body") ?? "", "status": "queued",
                "num_media": "\(fields.filter { $0.0 == "MediaUrl" }.count)", "error_code": NSNull(), "error_message": NSNull(),
                "uri": "/2010-04-01/Accounts/\(account)/Messages/\(sid).json",
            ])
        }
        router.get("/2010-04-01/Accounts/:account/IncomingPhoneNumbers/:number") { [self] request, context -> Response in
            state.withLock { $0.lookups += 1 }
            guard request.headers[.authorization] == expectedAuth else { return Self.error(.unauthorized, code: 20003, "Authenticate") }
            guard context.parameters.get("number") == "\(phoneNumberSid).json" else {
                return Self.error(.notFound, code: 20404, "The requested resource was not found")
            }
            return Self.json(.ok, ["sid": phoneNumberSid, "account_sid": accountSid, "phone_number": phoneNumber, "friendly_name": "(555) 000-1111"])
        }
        // A media URL needs the account's Basic auth and redirects to a short-lived CDN URL, as Twilio's do.
        router.get("/2010-04-01/Accounts/:account/Messages/:message/Media/:media") { [self] request, context -> Response in
            guard request.headers[.authorization] == expectedAuth else { return Self.error(.unauthorized, code: 20003, "Authenticate") }
            let sid = context.parameters.get("media") ?? ""
            guard media.withLock({ $0[sid] }) != nil else { return Self.error(.notFound, code: 20404, "The requested resource was not found") }
            return Response(status: .found, headers: [.location: "\(url)/cdn/\(sid)?Expires=4h"])
        }
        router.get("/cdn/:media") { [self] _, context -> Response in
            guard let item = media.withLock({ $0[context.parameters.get("media") ?? ""] }) else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: item.type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: item.bytes)))
        }
        try await server.start(router, label: "fake-twilio")
    }

    func stop() {
        server.stop()
    }

    /// Waits until `condition` holds, or fails after `timeout`.
    func wait(timeout: Duration = .seconds(20), until condition: @Sendable () async throws -> Bool) async throws {
        try await LoopbackServer.wait(timeout: timeout, describe: { "fake Twilio: timed out after \(self.requests) requests" }, until: condition)
    }

    /// What Twilio puts in `X-Twilio-Signature` for a POST of `fields` to `url`: base64 of
    /// HMAC-SHA1 under the auth token over the URL and the fields sorted by name, each name then
    /// value — computed here with swift-crypto, independently of Parley's verifier.
    static func signature(url: String, fields: [(String, String)], authToken: String) -> String {
        let data = url + fields.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(authToken.utf8)))).base64EncodedString()
    }

    static func parseForm(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    static func error(_ status: HTTPResponse.Status, code: Int, _ message: String) -> Response {
        json(status, ["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": Int(status.code)])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

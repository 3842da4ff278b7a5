import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyWire
import ParleyOutbound
import Synchronization

/// SMS and MMS through Twilio's Messages API: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
/// Basic auth `AccountSid:AuthToken`, form fields `To`, `From` (the integration's number) or
/// `MessagingServiceSid`, `Body`, `MediaUrl` and `StatusCallback`.
final class TwilioConnector: ChannelConnector {
    let environment: ChannelEnvironment
    /// Phone numbers by `AccountSid/PhoneNumberSid`: the Messages API wants the number itself as
    /// `From`, which Twilio's IncomingPhoneNumbers resource tells once.
    private let numbers = Mutex<[String: String]>([:])

    init(environment: ChannelEnvironment) {
        self.environment = environment
    }

    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> ChannelSendResult {
        guard let accountSid = integration.textSetting("accountSid"), let authToken = secrets["authToken"] else {
            throw ConnectorError("The twilio integration lacks accountSid or authToken")
        }
        let credentials = "Basic " + Data("\(accountSid):\(authToken)".utf8).base64EncodedString()
        let timeout = TimeAmount.milliseconds(Int64(timeoutSeconds * 1000))
        var fields: [(String, String)] = [("To", job.payload["to"] ?? "")]
        if let service = integration.textSetting("messagingServiceSid") {
            fields.append(("MessagingServiceSid", service))
        } else if let numberSid = integration.textSetting("phoneNumberSid") {
            switch try await phoneNumber(accountSid: accountSid, numberSid: numberSid, credentials: credentials, timeout: timeout) {
            case .success(let number): fields.append(("From", number))
            case .failure(let answer): return answer
            }
        } else {
            throw ConnectorError("The twilio integration has neither messagingServiceSid nor phoneNumberSid")
        }
        fields += Self.content(job.payload)
        if let callback = statusCallback(job) { fields.append(("StatusCallback", callback)) }

        var request = HTTPClientRequest(url: "\(environment.apiBaseURL)/2010-04-01/Accounts/\(FormEncoding.pathSegment(accountSid))/Messages.json")
        request.method = .POST
        request.headers.add(name: "Authorization", value: credentials)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.urlEncoded(fields)))
        let response = try await environment.client.execute(request, timeout: timeout)
        let answer = Self.decode(try? await response.body.collect(upTo: 64 * 1024))
        return ChannelSendResult(statusCode: Int(response.status.code), externalMessageId: answer.sid, detail: answer.problem)
    }

    /// What SMS can show of a message: its text as `Body` (for carousels and locations, the
    /// fallback text the API wrote) and an image's or file's media as `MediaUrl`, which makes it
    /// MMS. A Parley attachment larger than Twilio takes for its type goes as a link in `Body`.
    static func content(_ payload: [String: String]) -> [(String, String)] {
        var text = payload["text"] ?? ""
        var media = payload["mediaUrl"]
        if let url = media, let size = payload["mediaSize"].flatMap(Int64.init), size > maximumMediaBytes(payload["mediaType"]) {
            text = text.isEmpty ? url : "\(text)\n\n\(url)"
            media = nil
        }
        var fields: [(String, String)] = []
        if !text.isEmpty { fields.append(("Body", text)) }
        if let media { fields.append(("MediaUrl", media)) }
        return fields
    }

    /// Twilio's limits for MMS media: 5 MB for the images it resizes for handsets (JPEG, PNG,
    /// GIF), 500 kB for every other type.
    static func maximumMediaBytes(_ mediaType: String?) -> Int64 {
        ["image/jpeg", "image/jpg", "image/png", "image/gif"].contains(mediaType ?? "") ? 5 * 1024 * 1024 : 500 * 1024
    }

    /// Where Twilio reports the message's fate: this integration's status endpoint, naming the
    /// job (Twilio signs the whole URL, so the job cannot be forged). None without `PARLEY_PUBLIC_URL`:
    /// Twilio could not reach a URL guessed from inside.
    func statusCallback(_ job: ChannelJob) -> String? {
        guard let base = environment.publicBaseURL, job.messageId != nil else { return nil }
        return "\(base)/v2/apps/\(job.appId)/integrations/\(job.integrationId)/inbound/status?job=\(job.id)"
    }

    private enum Lookup {
        case success(String)
        case failure(ChannelSendResult)
    }

    /// `GET {base}/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json` → `phone_number`.
    private func phoneNumber(accountSid: String, numberSid: String, credentials: String, timeout: TimeAmount) async throws -> Lookup {
        let key = "\(accountSid)/\(numberSid)"
        if let known = numbers.withLock({ $0[key] }) { return .success(known) }
        var request = HTTPClientRequest(
            url: "\(environment.apiBaseURL)/2010-04-01/Accounts/\(FormEncoding.pathSegment(accountSid))/IncomingPhoneNumbers/\(FormEncoding.pathSegment(numberSid)).json")
        request.headers.add(name: "Authorization", value: credentials)
        let response = try await environment.client.execute(request, timeout: timeout)
        let answer = Self.decode(try? await response.body.collect(upTo: 64 * 1024))
        guard response.status.code == 200, let number = answer.phoneNumber else {
            let status = response.status.code == 200 ? 502 : Int(response.status.code)
            return .failure(ChannelSendResult(
                statusCode: status, detail: "Twilio did not tell the number of phoneNumberSid \(numberSid): \(answer.problem ?? "HTTP \(response.status.code)")"))
        }
        numbers.withLock { $0[key] = number }
        return .success(number)
    }

    /// The parts of Twilio's JSON answers Parley reads: a message's `sid`, a number's
    /// `phone_number`, an error's `code` and `message`.
    private struct Answer: Decodable {
        var sid: String?
        var phoneNumber: String?
        var code: Int?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case sid, code, message
            case phoneNumber = "phone_number"
        }

        var problem: String? {
            guard let message else { return nil }
            return code.map { "Twilio error \($0): \(message)" } ?? message
        }
    }

    private static func decode(_ body: ByteBuffer?) -> Answer {
        body.flatMap { try? BoundedJSONDecoder.decode(Answer.self, from: Data($0.readableBytesView)) } ?? Answer()
    }
}

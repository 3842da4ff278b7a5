import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// Messages to a user's number, by one of MessageBird's two APIs, as the integration's `originator`
/// says, both with `Authorization: AccessKey {accessKey}` and a JSON body, both answering the
/// accepted message's `id` (the external id reports name), or `{errors: [{code, description,
/// parameter}]}`:
/// - an SMS number (the spec's model, `12262121021`): the SMS API, `POST {base}/messages` with
///   `{originator, recipients: [msisdn], body, reportUrl, reference}`. SMS carries text only: an
///   image's or file's URL is written after its text, actions, carousels and lists as below;
/// - a Conversations channel ID: `POST {conversations base}/v1/send` with `{to, from, type,
///   content, reportUrl}`. An image goes as `image`, a file as `file` (MessageBird fetches the
///   URL; the text is the caption), a location as `location`; everything else as `text`.
/// The text of a text send is the message's text with its actions written out (links as "text:
/// url", postbacks and replies as their text, which the user can answer with), a carousel's
/// fallback text, a list's items as a carousel's are written.
struct MessageBirdConnector: ChannelConnector {
    let environment: ChannelEnvironment

    /// A list has no fallback text of its own: its items are written out here.
    func carries(_ job: ChannelJob, message: Message?) -> Bool {
        job.hasMessage || Self.contentType(message) == "list"
    }

    func send(_ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double) async throws -> ChannelSendResult {
        guard let accessKey = secrets["accessKey"], let originator = integration.textSetting("originator") else {
            throw ConnectorError("The messagebird integration lacks its accessKey or originator")
        }
        let reportUrl = reportURL(job, integration: integration)
        let url: String
        var body: [String: JSONValue]
        if let number = MessageBirdChannel.smsNumber(originator) {
            url = "\(environment.apiBaseURL)/messages"
            body = [
                // MessageBird spells numbers as MSISDNs: the country code and number, no `+`.
                "originator": .string(String(number.dropFirst())),
                "recipients": .array([.string(String((job.payload["to"] ?? "").drop(while: { $0 == "+" })))]),
                "body": .string(Self.text(job, message: message, mediaLinks: true)),
            ]
            if let reportUrl, let messageId = job.messageId {
                // MessageBird reports only on messages that carry a reference.
                body["reportUrl"] = .string(reportUrl)
                body["reference"] = .string("\(messageId)")
            }
        } else {
            url = "\(MessageBirdChannel.conversationsBaseURL(environment.apiBaseURL))/v1/send"
            body = Self.body(job, message: message)
            body["to"] = .string(job.payload["to"] ?? "")
            body["from"] = .string(originator)
            if let reportUrl { body["reportUrl"] = .string(reportUrl) }
        }

        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "AccessKey \(accessKey)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: try JSONWriter.string(.object(body))))
        let response = try await environment.client.execute(request, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        let answer = MessageBirdAnswer(try? await response.body.collect(upTo: 64 * 1024))
        let status = Int(response.status.code)
        if (200..<300).contains(status), answer.id == nil {
            return ChannelSendResult(statusCode: 502, detail: "MessageBird accepted the message without an id")
        }
        return ChannelSendResult(statusCode: status, externalMessageId: answer.id, detail: answer.problem)
    }

    /// Where MessageBird reports the message's fate: the integration's webhook, whose reports name
    /// the message by MessageBird's id. Only for conversation messages (a link's confirmation has
    /// no delivery events) and with `PARLEY_PUBLIC_URL` (MessageBird could not reach a URL
    /// guessed from inside).
    func reportURL(_ job: ChannelJob, integration: Integration) -> String? {
        guard let base = environment.publicBaseURL, job.messageId != nil, let secret = integration.textSetting("webhookSecret") else { return nil }
        return MessageBirdChannel.webhookURL(publicBaseURL: base, appId: job.appId, integrationId: job.integrationId, webhookSecret: secret)
    }

    /// `type` and `content` of the send for a job.
    static func body(_ job: ChannelJob, message: Message?) -> [String: JSONValue] {
        let payload = job.payload
        let text = payload["text"] ?? ""
        func media(_ kind: String, _ url: String) -> [String: JSONValue] {
            var media: [String: JSONValue] = ["url": .string(url)]
            if !text.isEmpty { media["caption"] = .string(text) }
            return ["type": .string(kind), "content": .object([kind: .object(media)])]
        }
        switch (payload["contentType"], payload["mediaUrl"]) {
        case ("image", let url?): return media("image", url)
        case ("file", let url?): return media("file", url)
        case ("location", _):
            if let point = coordinates(message) {
                return ["type": .string("location"), "content": .object(["location": .object(["latitude": point.latitude, "longitude": point.longitude])])]
            }
        default: break
        }
        return ["type": .string("text"), "content": .object(["text": .string(Self.text(job, message: message, mediaLinks: false))])]
    }

    /// The text of a text send: the message's text (a carousel's or location's fallback), with
    /// `mediaLinks` an image's or file's URL, a list's items, then the actions, one a line.
    static func text(_ job: ChannelJob, message: Message?, mediaLinks: Bool) -> String {
        var text = job.payload["text"] ?? ""
        if mediaLinks, let url = job.payload["mediaUrl"], ["image", "file"].contains(job.payload["contentType"]) {
            text += (text.isEmpty ? "" : "\n") + url
        }
        if contentType(message) == "list", case .object(let content)? = message?.content, case .array(let items)? = content["items"] {
            text += (text.isEmpty ? "" : "\n\n") + items.enumerated().map { index, item in itemText(item, number: index + 1) }.joined(separator: "\n\n")
        }
        var actions: [(index: Int, line: String)] = ChannelPayload.links(job.payload).map { ($0.index, "\($0.text): \($0.uri)") }
        actions += ChannelPayload.postbacks(job.payload).map { ($0.index, $0.text) }
        actions += ChannelPayload.replies(job.payload).map { ($0.index, $0.text) }
        if !actions.isEmpty {
            text += (text.isEmpty ? "" : "\n\n") + actions.sorted { $0.index < $1.index }.map(\.line).joined(separator: "\n")
        }
        return text
    }

    /// A list item as carousels' fallback writes one: number and title, description, links.
    private static func itemText(_ item: JSONValue, number: Int) -> String {
        guard case .object(let fields) = item else { return "" }
        var lines: [String] = []
        if case .string(let title)? = fields["title"] { lines.append("\(number). \(title)") }
        if case .string(let description)? = fields["description"], !description.isEmpty { lines.append(description) }
        if case .array(let actions)? = fields["actions"] {
            for case .object(let action) in actions {
                guard case .string(let type)? = action["type"], type == "link" || type == "webview", case .string(let text)? = action["text"],
                    case .string(let uri)? = action["uri"]
                else { continue }
                lines.append("\(text): \(uri)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A location message's `coordinates` (`lat`, `long`), as numbers.
    private static func coordinates(_ message: Message?) -> (latitude: JSONValue, longitude: JSONValue)? {
        guard case .object(let content)? = message?.content, case .object(let coordinates)? = content["coordinates"] else { return nil }
        func number(_ value: JSONValue?) -> JSONValue? {
            switch value {
            case .integer?, .double?: value
            default: nil
            }
        }
        guard let latitude = number(coordinates["lat"]), let longitude = number(coordinates["long"]) else { return nil }
        return (latitude, longitude)
    }

    static func contentType(_ message: Message?) -> String? {
        if case .object(let content)? = message?.content, case .string(let type)? = content["type"] { return type }
        return nil
    }
}

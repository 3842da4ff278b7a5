import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// Email through Mailgun's messages API: `POST {base}/v3/{domain}/messages`, Basic auth
/// `api:{apiKey}`, form-urlencoded. Replies go to the integration's incoming address
/// (`h:Reply-To`), which is where Mailgun routes inbound mail back to the app.
struct MailgunConnector: ChannelConnector {
    let client: OutboundClient
    /// `PARLEY_MAILGUN_API_URL`, e.g. `https://api.mailgun.net` (or `https://api.eu.mailgun.net`).
    let baseURL: String
    /// `PARLEY_PUBLIC_URL`: where postback links lead; without it postback buttons are left out.
    let publicBaseURL: String?

    init(client: OutboundClient, baseURL: String, publicBaseURL: String?) {
        self.client = client
        self.baseURL = baseURL
        self.publicBaseURL = publicBaseURL
    }

    func send(
        _ job: ChannelJob, integration: Integration, secrets: [String: String], timeoutSeconds: Double
    ) async throws -> ChannelSendResult {
        guard let apiKey = secrets["apiKey"], let domain = integration.textSetting("domain"),
            let incoming = integration.textSetting("incomingAddress")
        else { throw ConnectorError("The mailgun integration lacks apiKey, domain or incomingAddress") }
        let fields = Self.form(
            job, from: integration.textSetting("fromAddress") ?? incoming, replyTo: Self.replyAddress(incoming, conversationId: job.conversationId),
            actions: actions(job, integration: integration, key: apiKey))
        var request = HTTPClientRequest(url: "\(baseURL)/v3/\(FormEncoding.pathSegment(domain))/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("api:\(apiKey)".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.urlEncoded(fields)))
        let response = try await client.execute(request, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        let body = try? await response.body.collect(upTo: 64 * 1024)
        // Mailgun answers `{"id": "<…@domain>", "message": "Queued. Thank you."}`.
        struct Accepted: Decodable { var id: String? }
        let id = body.flatMap { try? BoundedJSONDecoder.decode(Accepted.self, from: Data($0.readableBytesView)) }?.id
        return ChannelSendResult(statusCode: Int(response.status.code), externalMessageId: id)
    }

    /// What an email shows of the message's actions: its links, and a link for each postback
    /// button of a conversation message (it leads to Parley, which records the choice).
    private func actions(_ job: ChannelJob, integration: Integration, key: String) -> [(text: String, url: String)] {
        var shown: [(index: Int, text: String, url: String)] = ChannelPayload.links(job.payload).map { ($0.index, $0.text, $0.uri) }
        if let publicBaseURL, job.messageId != nil {
            shown += ChannelPayload.postbacks(job.payload).map { index, text in
                (index, text, MailgunPostbackLink(jobId: job.id, action: index).url(
                    publicBaseURL: publicBaseURL, appId: job.appId, integrationId: integration.id, key: key))
            }
        }
        return shown.sorted { $0.index < $1.index }.map { ($0.text, $0.url) }
    }

    /// The incoming address tagged with the conversation (`support+<conversationId>@domain`), so
    /// a reply lands in the conversation it answers. Mailgun routes match the untagged recipient
    /// with `match_recipient("support(\+.*)?@domain")`.
    static func replyAddress(_ incoming: String, conversationId: ResourceID?) -> String {
        guard let conversationId, let at = incoming.lastIndex(of: "@") else { return incoming }
        let local = incoming[..<at]
        guard !local.contains("+") else { return incoming }
        return "\(local)+\(conversationId.rawValue)\(incoming[at...])"
    }

    /// A referral code a business published in its address (`support+spring-ad@domain` on an ad or
    /// a page, as Messenger's `m.me/…?ref=`): a tag that is not a conversation's id, 1…64 letters,
    /// digits, `-`, `_` or `.`.
    static func referralTag(ofRecipient recipient: String) -> String? {
        guard let at = recipient.lastIndex(of: "@"), let plus = recipient[..<at].lastIndex(of: "+") else { return nil }
        let tag = recipient[recipient.index(after: plus)..<at]
        guard ResourceID(String(tag)) == nil, (1...64).contains(tag.utf8.count),
            tag.utf8.allSatisfy({ $0.isASCIIWordByte(also: Array("-_.".utf8)) })
        else { return nil }
        return String(tag)
    }

    /// The conversation a reply was addressed to, from the tag `replyAddress` put on it.
    static func conversationTag(ofRecipient recipient: String) -> ResourceID? {
        guard let at = recipient.lastIndex(of: "@"), let plus = recipient[..<at].lastIndex(of: "+") else { return nil }
        return ResourceID(String(recipient[recipient.index(after: plus)..<at]))
    }

    /// The form fields, in a fixed order. `html` is the message's htmlText, else its text escaped;
    /// `actions` follow the text as "text: url" lines and the HTML as links.
    static func form(_ job: ChannelJob, from: String, replyTo: String, actions: [(text: String, url: String)] = []) -> [(String, String)] {
        var text = job.payload["text"] ?? ""
        if let media = job.payload["mediaUrl"] { text = text.isEmpty ? media : "\(text)\n\n\(media)" }
        var html = job.payload["htmlText"] ?? escapeHTML(job.payload["text"] ?? "").replacingOccurrences(of: "\n", with: "<br>")
        if let media = job.payload["mediaUrl"] {
            html += "<p><img src=\"\(escapeHTML(media))\" alt=\"\(escapeHTML(job.payload["altText"] ?? ""))\"></p>"
        }
        if !actions.isEmpty {
            text += (text.isEmpty ? "" : "\n\n") + actions.map { "\($0.text): \($0.url)" }.joined(separator: "\n")
            html += "<p>" + actions.map { "<a href=\"\(escapeHTML($0.url))\">\(escapeHTML($0.text))</a>" }.joined(separator: " &middot; ") + "</p>"
        }
        return [
            ("from", from), ("to", job.payload["to"] ?? ""), ("subject", job.payload["subject"] ?? ""), ("text", text), ("html", html),
            ("h:Reply-To", replyTo),
            // Comes back as `user-variables` in Mailgun's delivered/failed event webhooks.
            ("v:parley-job", job.id.rawValue),
        ]
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

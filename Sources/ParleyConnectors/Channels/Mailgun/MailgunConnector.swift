import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// Email through Mailgun's messages API: `POST {base}/v3/{domain}/messages`, Basic auth
/// `api:{apiKey}`, form-urlencoded (multipart with an image `inline` or a file `attachment`). Replies go to the integration's incoming address
/// (`h:Reply-To`), which is where Mailgun routes inbound mail back to the app.
struct MailgunConnector: ChannelConnector {
    let client: OutboundClient
    /// `PARLEY_MAILGUN_API_URL`, e.g. `https://api.mailgun.net` (or `https://api.eu.mailgun.net`).
    let baseURL: String
    /// `PARLEY_PUBLIC_URL`: where postback links lead; without it postback buttons are left out.
    let publicBaseURL: String?
    /// Where an image's or file's bytes are read to go with the email.
    let attachments: AttachmentService?

    /// A Parley attachment up to this size goes with the email as a file (an image inline); larger
    /// ones, and media kept elsewhere, as a link. Mailgun takes messages up to 25 MB, and a file
    /// grows by a third in MIME's base64.
    static let maximumAttachedBytes: Int64 = 10 * 1024 * 1024

    init(client: OutboundClient, baseURL: String, publicBaseURL: String?, attachments: AttachmentService? = nil) {
        self.client = client
        self.baseURL = baseURL
        self.publicBaseURL = publicBaseURL
        self.attachments = attachments
    }

    func send(
        _ job: ChannelJob, message: Message?, integration: Integration, secrets: [String: String], timeoutSeconds: Double
    ) async throws -> ChannelSendResult {
        guard let apiKey = secrets["apiKey"], let domain = integration.textSetting("domain"),
            let incoming = integration.textSetting("incomingAddress")
        else { throw ConnectorError("The mailgun integration lacks apiKey, domain or incomingAddress") }
        let file = try await attached(job)
        defer { file?.reader.close() }
        let fields = Self.form(
            job, from: integration.textSetting("fromAddress") ?? incoming, replyTo: Self.replyAddress(incoming, conversationId: job.conversationId),
            actions: actions(job, integration: integration, key: apiKey), attached: file?.attachment)
        var request = HTTPClientRequest(url: "\(baseURL)/v3/\(FormEncoding.pathSegment(domain))/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("api:\(apiKey)".utf8).base64EncodedString())
        if let file {
            // An image inline (its Content-ID is its file name, which the HTML shows), a file attached.
            let multipart = MultipartFormBody(
                fields: fields, fileField: Self.isImage(job) ? "inline" : "attachment", fileName: file.attachment.fileName,
                mediaType: file.attachment.mediaType, reader: file.reader)
            request.headers.add(name: "Content-Type", value: multipart.contentType)
            request.body = multipart.body
        } else {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormEncoding.urlEncoded(fields)))
        }
        let response = try await client.execute(request, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        let body = try? await response.body.collect(upTo: 64 * 1024)
        // Mailgun answers `{"id": "<…@domain>", "message": "Queued. Thank you."}`.
        struct Accepted: Decodable { var id: String? }
        let id = body.flatMap { try? BoundedJSONDecoder.decode(Accepted.self, from: Data($0.readableBytesView)) }?.id
        return ChannelSendResult(statusCode: Int(response.status.code), externalMessageId: id)
    }

    /// The message's image or file, when it is a Parley attachment small enough to go with the email.
    private func attached(_ job: ChannelJob) async throws -> (attachment: Attachment, reader: any AttachmentReader)? {
        guard let attachments, let mediaUrl = job.payload["mediaUrl"], let token = AttachmentToken.of(mediaUrl: mediaUrl),
            let (attachment, reader) = try await attachments.open(token)
        else { return nil }
        guard Self.attaches(attachment, to: job) else {
            reader.close()
            return nil
        }
        return (attachment, reader)
    }

    /// Whether an attachment goes with the email as a file: the job's app's, and small enough.
    static func attaches(_ attachment: Attachment, to job: ChannelJob) -> Bool {
        attachment.appId == job.appId && attachment.size <= maximumAttachedBytes
    }

    static func isImage(_ job: ChannelJob) -> Bool { job.payload["contentType"] == "image" }

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
    /// `actions` follow the text as "text: url" lines and the HTML as links. Media go as a link
    /// (an image shown from it), unless `attached` goes with the email: then an image is shown
    /// from its inline part and a file is only attached.
    static func form(
        _ job: ChannelJob, from: String, replyTo: String, actions: [(text: String, url: String)] = [], attached: Attachment? = nil
    ) -> [(String, String)] {
        var text = job.payload["text"] ?? ""
        let link = attached == nil ? job.payload["mediaUrl"] : nil
        if let link { text = text.isEmpty ? link : "\(text)\n\n\(link)" }
        var html = job.payload["htmlText"] ?? (job.payload["text"] ?? "").htmlEscaped.replacingOccurrences(of: "\n", with: "<br>")
        let imageSource = attached.map { "cid:\($0.fileName)" } ?? link
        if let imageSource, attached == nil || isImage(job) {
            html += "<p><img src=\"\(imageSource.htmlEscaped)\" alt=\"\((job.payload["altText"] ?? "").htmlEscaped)\"></p>"
        }
        if !actions.isEmpty {
            text += (text.isEmpty ? "" : "\n\n") + actions.map { "\($0.text): \($0.url)" }.joined(separator: "\n")
            html += "<p>" + actions.map { "<a href=\"\($0.url.htmlEscaped)\">\($0.text.htmlEscaped)</a>" }.joined(separator: " &middot; ") + "</p>"
        }
        return [
            ("from", from), ("to", job.payload["to"] ?? ""), ("subject", job.payload["subject"] ?? ""), ("text", text), ("html", html),
            ("h:Reply-To", replyTo),
            // Comes back as `user-variables` in Mailgun's delivered/failed event webhooks.
            ("v:parley-job", job.id.rawValue),
        ]
    }
}

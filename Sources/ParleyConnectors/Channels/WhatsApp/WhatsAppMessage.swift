import ParleyDomain

/// What the Cloud API's `messages` body is for a job:
/// - a template (`schema: "whatsapp"`): WhatsApp's template as the business wrote it, in the
///   integration's `hsmFallbackLanguage` when it names no language;
/// - text: `text` (links written out after it, or one link alone as a `cta_url` button);
/// - reply and postback actions: an interactive message, up to 3 as reply buttons (on an
///   image too, as its header), more as a list of up to 10 rows. A reply button's id is the reply's
///   payload; a postback's is `p:{jobId}:{index}`, read back from the stored message when chosen;
/// - image: `image` with the text as caption; file: `document`, named by its URL;
/// - location: `location`;
/// - carousel and list: the fallback text the API wrote.
/// `override.whatsapp.payload` is laid over the result last: its top-level fields replace
/// Parley's (the spec: "the message payload sent to the channel").
enum WhatsAppMessage {
    static func body(_ job: ChannelJob, message: Message?, fallbackLanguage: String) -> [String: JSONValue] {
        let payload = job.payload
        var body: [String: JSONValue] = [
            "messaging_product": .string("whatsapp"), "recipient_type": .string("individual"), "to": .string(payload["to"] ?? ""),
        ]
        let content: [String: JSONValue] = if case .object(let content)? = message?.content { content } else { [:] }
        let text = payload["text"] ?? ""
        let buttons = Self.buttons(job, content: content)
        switch (payload["contentType"], payload["mediaUrl"]) {
        case ("template", _):
            var template: [String: JSONValue] = if case .object(let template)? = content["template"] { template } else { [:] }
            if template["language"] == nil {
                template["language"] = .object(["policy": .string("deterministic"), "code": .string(fallbackLanguage)])
            }
            body["type"] = .string("template")
            body["template"] = .object(template)
        case ("location", _) where location(content) != nil:
            body["type"] = .string("location")
            body["location"] = location(content)
        case ("image", let url?) where !buttons.isEmpty && buttons.count <= 3:
            body["type"] = .string("interactive")
            body["interactive"] = interactive(text: text.isEmpty ? (payload["altText"] ?? "…") : text, buttons: buttons, links: [], imageHeader: url)
        case ("image", let url?):
            body["type"] = .string("image")
            body["image"] = media(url, caption: withLinks(text, job))
        case ("file", let url?):
            body["type"] = .string("document")
            var document = media(url, caption: withLinks(text, job))
            if case .object(var fields) = document, let name = url.split(separator: "/").last.map(String.init), !name.isEmpty {
                fields["filename"] = .string(PercentEncoding.decode(name) ?? name)
                document = .object(fields)
            }
            body["document"] = document
        default:
            let links = ChannelPayload.links(payload)
            if !buttons.isEmpty || (links.count == 1 && !text.isEmpty) {
                body["type"] = .string("interactive")
                body["interactive"] = interactive(text: buttons.isEmpty ? text : withLinks(text, job), buttons: buttons, links: links, imageHeader: nil)
            } else {
                body["type"] = .string("text")
                let written = withLinks(text, job)
                body["text"] = .object(["body": .string(String(written.prefix(4096))), "preview_url": .bool(written.contains("https://"))])
            }
        }
        if case .object(let override)? = message?.override, case .object(let whatsapp)? = override["whatsapp"],
            case .object(let replacement)? = whatsapp["payload"]
        {
            body.merge(replacement) { _, given in given }
        }
        return body
    }

    /// Postbacks and replies, in their actions' order, as (id, title) within WhatsApp's limits.
    static func buttons(_ job: ChannelJob, content: [String: JSONValue]) -> [(id: String, title: String)] {
        var buttons: [(index: Int, id: String, title: String)] = ChannelPayload.replies(job.payload).map { index, text in
            (index, replyPayload(content, index: index) ?? text, text)
        }
        if job.messageId != nil {
            buttons += ChannelPayload.postbacks(job.payload).map { index, text in
                (index, PostbackButton.data(jobId: job.id, action: index), text)
            }
        }
        return buttons.sorted { $0.index < $1.index }.prefix(10).map { (String($0.id.prefix(256)), $0.title) }
    }

    private static func replyPayload(_ content: [String: JSONValue], index: Int) -> String? {
        guard case .array(let actions)? = content["actions"], actions.indices.contains(index), case .object(let action) = actions[index],
            case .string(let payload)? = action["payload"], !payload.isEmpty
        else { return nil }
        return payload
    }

    /// Up to 3 buttons as reply buttons, more as a list; else one link as a `cta_url` button.
    static func interactive(text: String, buttons: [(id: String, title: String)], links: [(index: Int, text: String, uri: String)], imageHeader: String?)
        -> JSONValue
    {
        var interactive: [String: JSONValue] = ["body": .object(["text": .string(String(text.prefix(1024)))])]
        if let imageHeader { interactive["header"] = .object(["type": .string("image"), "image": .object(["link": .string(imageHeader)])]) }
        if buttons.isEmpty, let link = links.first {
            interactive["type"] = .string("cta_url")
            interactive["action"] = .object([
                "name": .string("cta_url"),
                "parameters": .object(["display_text": .string(String(link.text.prefix(20))), "url": .string(link.uri)]),
            ])
        } else if buttons.count <= 3 {
            interactive["type"] = .string("button")
            interactive["action"] = .object(["buttons": .array(buttons.map { button in
                .object(["type": .string("reply"), "reply": .object(["id": .string(button.id), "title": .string(String(button.title.prefix(20)))])])
            })])
        } else {
            interactive["type"] = .string("list")
            interactive["action"] = .object([
                "button": .string("Choose"),
                "sections": .array([.object(["rows": .array(buttons.map { button in
                    .object(["id": .string(button.id), "title": .string(String(button.title.prefix(24)))])
                })])]),
            ])
        }
        return .object(interactive)
    }

    /// The text, then each link as `text: uri` on its own line (WhatsApp shows URLs as links).
    static func withLinks(_ text: String, _ job: ChannelJob) -> String {
        let links = ChannelPayload.links(job.payload).map { "\($0.text): \($0.uri)" }
        return ([text].filter { !$0.isEmpty } + links).joined(separator: "\n")
    }

    private static func media(_ url: String, caption: String) -> JSONValue {
        var media: [String: JSONValue] = ["link": .string(url)]
        if !caption.isEmpty { media["caption"] = .string(String(caption.prefix(1024))) }
        return .object(media)
    }

    private static func location(_ content: [String: JSONValue]) -> JSONValue? {
        guard case .object(let coordinates)? = content["coordinates"], let lat = JSONValue.number(coordinates["lat"]), let long = JSONValue.number(coordinates["long"])
        else { return nil }
        var location: [String: JSONValue] = ["latitude": .double(lat), "longitude": .double(long)]
        if case .object(let place)? = content["location"] {
            if case .string(let name)? = place["name"] { location["name"] = .string(name) }
            if case .string(let address)? = place["address"] { location["address"] = .string(address) }
        }
        return .object(location)
    }
}

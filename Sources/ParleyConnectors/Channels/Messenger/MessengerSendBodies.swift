import ParleyDomain

/// The Send API bodies (`POST me/messages`) one channel job becomes, each
/// `{recipient: {id}, messaging_type: "RESPONSE", message}`, in order:
/// - text: `{text}` (2,000 characters); with link or postback actions, a button template (text
///   and up to 3 `web_url`/`postback` buttons, a postback's payload `p:{jobId}:{index}`, read back
///   through `InboundService.postbackChosen` for the action's payload and metadata);
/// - image or file: the text first as its own message (when there is one), then
///   `{attachment: {type: image|video|audio|file, payload: {url, is_reusable}}}` (a file's type
///   chosen by its media type; on Instagram a file that is not audio or video goes as a link);
/// - carousel and list: the generic template, an element per item (title, subtitle =
///   description, image_url = mediaUrl, up to 3 buttons; an item's postback carries its own
///   payload, as Parley keeps no index for items);
/// - location and anything else: the text `ContentRules` wrote for channels without it;
/// - reply actions: `quick_replies` on the last message (13, titles of 20 characters).
/// `override.messenger.payload` is merged into every body, its keys replacing Parley's; one that
/// gives a whole `message` makes the job that one body.
struct MessengerSendBodies {
    let platform: MessengerPlatform

    func bodies(_ job: ChannelJob, message: Message?) -> [[String: JSONValue]] {
        let base: [String: JSONValue] = [
            "recipient": .object(["id": .string(job.payload["to"] ?? "")]), "messaging_type": .string("RESPONSE"),
        ]
        let override = Self.override(of: message)
        if case .object? = override["message"] { return [base.merging(override) { $1 }] }
        return messages(job, content: message?.content).map { base.merging(["message": .object($0)]) { $1 }.merging(override) { $1 } }
    }

    /// `override.messenger.payload`, as the business gave it.
    static func override(of message: Message?) -> [String: JSONValue] {
        guard case .object(let override)? = message?.override, case .object(let messenger)? = override["messenger"],
            case .object(let payload)? = messenger["payload"]
        else { return [:] }
        return payload
    }

    func messages(_ job: ChannelJob, content: JSONValue?) -> [[String: JSONValue]] {
        let payload = job.payload
        let fields: [String: JSONValue] = if case .object(let fields)? = content { fields } else { [:] }
        let actions: [JSONValue] = if case .array(let actions)? = fields["actions"] { actions } else { [] }
        var text = payload["text"] ?? ""
        let buttons = self.buttons(job, actions: actions)
        var messages: [[String: JSONValue]] = []
        switch (payload["contentType"] ?? "text", payload["mediaUrl"]) {
        case ("carousel", _), ("list", _):
            if let template = genericTemplate(fields) {
                messages.append(template)
            } else if let message = Self.textMessage(text, buttons: []) {
                messages.append(message)
            }
        case ("image", let url?), ("file", let url?):
            let kind = Self.attachmentType(payload["contentType"] ?? "file", mediaType: payload["mediaType"])
            if kind == "file", !platform.sendsFiles {
                text = text.isEmpty ? url : "\(text)\n\(url)"
                if let message = Self.textMessage(text, buttons: buttons) { messages.append(message) }
            } else {
                if let lead = Self.textMessage(text, buttons: buttons) { messages.append(lead) }
                messages.append(["attachment": .object(["type": .string(kind), "payload": .object(["url": .string(url), "is_reusable": .bool(true)])])])
            }
        default:
            if let message = Self.textMessage(text, buttons: buttons) { messages.append(message) }
        }
        if let quickReplies = Self.quickReplies(payload, actions: actions), !messages.isEmpty {
            messages[messages.count - 1]["quick_replies"] = quickReplies
        }
        return messages
    }

    /// Plain text, or with buttons the button template (its text at most 640 characters, and
    /// never empty: Meta requires one).
    static func textMessage(_ text: String, buttons: [JSONValue]) -> [String: JSONValue]? {
        guard !buttons.isEmpty else { return text.isEmpty ? nil : ["text": .string(String(text.prefix(2000)))] }
        return ["attachment": .object([
            "type": .string("template"),
            "payload": .object([
                "template_type": .string("button"), "text": .string(text.isEmpty ? "Choose an option" : String(text.prefix(640))),
                "buttons": .array(buttons),
            ]),
        ])]
    }

    /// An image is an image; a file is audio or video when its media type says so, else a file.
    static func attachmentType(_ contentType: String, mediaType: String?) -> String {
        if contentType == "image" { return "image" }
        if mediaType?.hasPrefix("video/") == true { return "video" }
        if mediaType?.hasPrefix("audio/") == true { return "audio" }
        return "file"
    }

    /// The message's link, webview and postback actions as buttons, in their order, at most 3
    /// (the button template's limit). Postbacks only for a conversation message, whose stored
    /// actions the choice is read back from.
    func buttons(_ job: ChannelJob, actions: [JSONValue]) -> [JSONValue] {
        var buttons: [(index: Int, button: JSONValue)] = ChannelPayload.links(job.payload).map { index, text, uri in
            let action: [String: JSONValue] = if actions.indices.contains(index), case .object(let action) = actions[index] { action } else { [:] }
            return (index, Self.urlButton(title: text, uri: uri, action: action))
        }
        if let messageId = job.messageId, !messageId.rawValue.isEmpty {
            buttons += ChannelPayload.postbacks(job.payload).map { index, text in
                (index, .object([
                    "type": .string("postback"), "title": .string(String(text.prefix(20))),
                    "payload": .string(PostbackButton.data(jobId: job.id, action: index)),
                ]))
            }
        }
        return buttons.sorted { $0.index < $1.index }.prefix(3).map(\.button)
    }

    /// A `web_url` button; a webview's size and Messenger's `extraChannelOptions` carried over.
    static func urlButton(title: String, uri: String, action: [String: JSONValue]) -> JSONValue {
        var button: [String: JSONValue] = ["type": .string("web_url"), "title": .string(String(title.prefix(20))), "url": .string(uri)]
        if action["type"] == .string("webview"), case .string(let size)? = action["size"] { button["webview_height_ratio"] = .string(size) }
        if case .object(let options)? = action["extraChannelOptions"], case .object(let messenger)? = options["messenger"] {
            for key in ["messenger_extensions", "webview_share_button"] { if let value = messenger[key] { button[key] = value } }
        }
        return .object(button)
    }

    /// A carousel's or list's items as the generic template (up to 10 elements).
    func genericTemplate(_ fields: [String: JSONValue]) -> [String: JSONValue]? {
        guard case .array(let items)? = fields["items"], !items.isEmpty else { return nil }
        let elements: [JSONValue] = items.prefix(10).compactMap { value in
            guard case .object(let item) = value, case .string(let title)? = item["title"] else { return nil }
            var element: [String: JSONValue] = ["title": .string(String(title.prefix(80)))]
            if case .string(let description)? = item["description"] { element["subtitle"] = .string(String(description.prefix(80))) }
            if case .string(let url)? = item["mediaUrl"] { element["image_url"] = .string(url) }
            var buttons: [JSONValue] = []
            if case .array(let actions)? = item["actions"] {
                for case .object(let action) in actions {
                    guard case .string(let type)? = action["type"], case .string(let text)? = action["text"] else { continue }
                    switch (type, action["uri"], action["payload"]) {
                    case ("link", .string(let uri)?, _), ("webview", .string(let uri)?, _):
                        buttons.append(Self.urlButton(title: text, uri: uri, action: action))
                        if action["default"] == .bool(true) { element["default_action"] = .object(["type": .string("web_url"), "url": .string(uri)]) }
                    case ("postback", _, .string(let payload)?):
                        buttons.append(.object(["type": .string("postback"), "title": .string(String(text.prefix(20))), "payload": .string(String(payload.prefix(1000)))]))
                    default: break
                    }
                }
            }
            if !buttons.isEmpty { element["buttons"] = .array(Array(buttons.prefix(3))) }
            return .object(element)
        }
        guard !elements.isEmpty else { return nil }
        var template: [String: JSONValue] = ["template_type": .string("generic"), "elements": .array(elements)]
        if case .object(let settings)? = fields["displaySettings"], case .string(let ratio)? = settings["imageAspectRatio"] {
            template["image_aspect_ratio"] = .string(ratio)
        }
        return ["attachment": .object(["type": .string("template"), "payload": .object(template)])]
    }

    /// Reply actions as quick replies: the action's payload comes back with the answer.
    static func quickReplies(_ payload: [String: String], actions: [JSONValue]) -> JSONValue? {
        let replies: [JSONValue] = ChannelPayload.replies(payload).prefix(13).map { index, text in
            let action: [String: JSONValue] = if actions.indices.contains(index), case .object(let action) = actions[index] { action } else { [:] }
            var reply: [String: JSONValue] = ["content_type": .string("text"), "title": .string(String(text.prefix(20)))]
            let answer: String = if case .string(let value)? = action["payload"], !value.isEmpty { String(value.prefix(1000)) } else { text }
            reply["payload"] = .string(answer)
            if case .string(let icon)? = action["iconUrl"] { reply["image_url"] = .string(icon) }
            return .object(reply)
        }
        return replies.isEmpty ? nil : .array(replies)
    }
}

/// A message's content, by its `type`. Each of the API's nine types has a case; a type this
/// library does not know (or a known type in a shape it cannot read) is kept whole in
/// ``other(_:)``, so one unexpected message never fails a whole list.
public enum MessageContent: Codable, Sendable, Hashable {
    case text(TextContent)
    case image(ImageContent)
    case file(FileContent)
    case carousel(CarouselContent)
    case list(ListContent)
    case location(LocationContent)
    case form(FormContent)
    /// A web messenger user's answer to a form (cannot be sent through the API).
    case formResponse(FormResponseContent)
    /// A WhatsApp template (needs `schema: "whatsapp"` on the post).
    case template(TemplateContent)
    /// Content of another type, as it came.
    case other(JSONValue)

    /// Plain text.
    public static func text(_ text: String) -> MessageContent { .text(TextContent(text: text)) }

    /// The `type` member on the wire.
    public var type: String {
        switch self {
        case .text: "text"
        case .image: "image"
        case .file: "file"
        case .carousel: "carousel"
        case .list: "list"
        case .location: "location"
        case .form: "form"
        case .formResponse: "formResponse"
        case .template: "template"
        case .other(let value): value["type"]?.stringValue ?? ""
        }
    }

    /// The text of text content, or the text shown with other content.
    public var text: String? {
        switch self {
        case .text(let content): content.text
        case .image(let content): content.text
        case .file(let content): content.text
        case .carousel(let content): content.text
        case .location(let content): content.text
        case .form(let content): content.text
        case .formResponse(let content): content.textFallback
        case .list, .template: nil
        case .other(let value): value["text"]?.stringValue
        }
    }

    private enum TypeKey: String, CodingKey { case type }

    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        let type = try? decoder.container(keyedBy: TypeKey.self).decodeIfPresent(String.self, forKey: .type)
        let known: MessageContent? =
            switch type {
            case "text": (try? TextContent(from: decoder)).map(MessageContent.text)
            case "image": (try? ImageContent(from: decoder)).map(MessageContent.image)
            case "file": (try? FileContent(from: decoder)).map(MessageContent.file)
            case "carousel": (try? CarouselContent(from: decoder)).map(MessageContent.carousel)
            case "list": (try? ListContent(from: decoder)).map(MessageContent.list)
            case "location": (try? LocationContent(from: decoder)).map(MessageContent.location)
            case "form": (try? FormContent(from: decoder)).map(MessageContent.form)
            case "formResponse": (try? FormResponseContent(from: decoder)).map(MessageContent.formResponse)
            case "template": (try? TemplateContent(from: decoder)).map(MessageContent.template)
            default: nil
            }
        self = try known ?? .other(JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        // Each content struct writes its fields; `type` is added beside them in the same object.
        switch self {
        case .text(let content): try content.encode(to: encoder)
        case .image(let content): try content.encode(to: encoder)
        case .file(let content): try content.encode(to: encoder)
        case .carousel(let content): try content.encode(to: encoder)
        case .list(let content): try content.encode(to: encoder)
        case .location(let content): try content.encode(to: encoder)
        case .form(let content): try content.encode(to: encoder)
        case .formResponse(let content): try content.encode(to: encoder)
        case .template(let content): try content.encode(to: encoder)
        case .other(let value):
            try value.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
    }
}

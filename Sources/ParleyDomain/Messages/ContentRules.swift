import Foundation

/// The nine content types of a message and every limit the spec sets on them. Returns the content
/// as it is stored and shown: unknown and read-only fields dropped, `markdownText` rendered to
/// `htmlText`, fallback `text` filled for locations and carousels, form defaults applied.
public enum ContentRules {
    static let types = ["text", "image", "file", "carousel", "list", "location", "form", "formResponse", "template"]

    /// Who sends the content: the API takes every type but `formResponse`; a user through the
    /// web messenger sends what a person can (text, image, file, location) and answers forms.
    public enum Sender: Sendable {
        case api, messengerUser
    }

    public static func validate(_ content: JSONValue, schema: String?, sender: Sender = .api) throws -> JSONValue {
        if sender == .messengerUser {
            guard case .object(let fields) = content, case .string(let type)? = fields["type"],
                ["text", "image", "file", "location", "formResponse"].contains(type)
            else { throw ParleyError.badRequest("content.type must be one of text, image, file, location, formResponse") }
            if type == "formResponse" { return try formResponse(content) }
        }
        var reader = try JSONReader(content, path: "content")
        guard let type = try reader.string("type", required: true), types.contains(type) else {
            throw ParleyError.badRequest("content.type must be one of \(types.joined(separator: ", "))")
        }
        _ = try reader.bool("blockChatInput")
        if schema == "whatsapp", type != "template" {
            throw ParleyError.badRequest("schema whatsapp requires content.type template")
        }
        switch type {
        case "text": return try text(&reader)
        case "image": return try media(&reader, actions: true)
        case "file": return try media(&reader, actions: false)
        case "carousel": return try carousel(&reader)
        case "list": return try list(&reader)
        case "location": return try location(&reader)
        case "form": return try form(&reader)
        case "formResponse": throw ParleyError.badRequest("content.type formResponse cannot be sent through the API")
        default: return try template(&reader, schema: schema)
        }
    }

    private static func text(_ reader: inout JSONReader) throws -> JSONValue {
        let text = try reader.string("text", length: 0...4096)
        let html = try richText(&reader)
        let actions = try reader.array("actions").map { try ActionRules.validate($0, allowed: ActionRules.all, path: "content.actions") }
        _ = try reader.string("payload")
        if text == nil, html.isAbsent, actions?.isEmpty != false {
            throw ParleyError.badRequest("content.text is required unless actions, htmlText or markdownText are given")
        }
        var result = changes(html: html, actions: actions)
        // "If no text is provided, [htmlText/markdownText] will be converted to text upon reception."
        if text == nil, case .value(let html) = html { result["text"] = .string(PlainText.from(html: html)) }
        return reader.output(result)
    }

    private static func media(_ reader: inout JSONReader, actions allowsActions: Bool) throws -> JSONValue {
        _ = try reader.uri("mediaUrl", required: true)
        _ = try reader.string("altText", length: 0...128)
        _ = try reader.string("text", length: 0...4096)
        _ = try reader.string("attachmentId")
        let html = try richText(&reader)
        var actions: [JSONValue]?
        if allowsActions {
            actions = try reader.array("actions").map { try ActionRules.validate($0, allowed: ActionRules.all, path: "content.actions") }
        }
        return reader.output(changes(html: html, actions: actions))
    }

    private static func carousel(_ reader: inout JSONReader) throws -> JSONValue {
        let items = try reader.requireArray("items", count: 1...10)
        let normalised = try items.enumerated().map { try item($1, path: "content.items[\($0)]") }
        var changes: [String: JSONValue?] = ["items": .array(normalised), "text": .string(carouselFallback(normalised))]
        if var settings = try reader.object("displaySettings") {
            _ = try settings.oneOf("imageAspectRatio", ["horizontal", "square"])
            changes["displaySettings"] = settings.output()
        }
        return reader.output(changes)
    }

    /// The text channels without carousels show, in the spec's documented form: each item
    /// numbered with its title, its description, and its link actions as "text: uri".
    private static func carouselFallback(_ items: [JSONValue]) -> String {
        items.enumerated().map { index, item -> String in
            guard case .object(let fields) = item else { return "" }
            var lines: [String] = []
            if case .string(let title)? = fields["title"] { lines.append("\(index + 1). \(title)") }
            if case .string(let description)? = fields["description"] { lines.append(description) }
            if case .array(let actions)? = fields["actions"] {
                for case .object(let action) in actions {
                    if case .string(let type)? = action["type"], type == "link" || type == "webview",
                        case .string(let text)? = action["text"], case .string(let uri)? = action["uri"]
                    {
                        lines.append("\(text): \(uri)")
                    }
                }
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    private static func list(_ reader: inout JSONReader) throws -> JSONValue {
        let items = try reader.requireArray("items", count: 1...10)
        let normalised = try items.enumerated().map { try item($1, path: "content.items[\($0)]") }
        let actions = try reader.array("actions", count: 1...10).map {
            try ActionRules.validate($0, allowed: ActionRules.subset, path: "content.actions")
        }
        return reader.output(["items": .array(normalised), "actions": actions.map(JSONValue.array)])
    }

    private static func item(_ value: JSONValue, path: String) throws -> JSONValue {
        var reader = try JSONReader(value, path: path)
        _ = try reader.string("title", required: true, length: 1...128)
        _ = try reader.string("description", length: 0...128)
        _ = try reader.uri("mediaUrl")
        _ = try reader.string("mediaType", length: 0...128)
        _ = try reader.string("altText", length: 0...128)
        _ = try reader.oneOf("size", ["compact", "large"])
        _ = try reader.metadata("metadata")
        let actions = try ActionRules.validate(
            try reader.requireArray("actions", count: 1...3), allowed: ActionRules.subset, path: "\(path).actions")
        return reader.output(["actions": .array(actions)])
    }

    private static func location(_ reader: inout JSONReader) throws -> JSONValue {
        var coordinates = try reader.requireObject("coordinates")
        let lat = try coordinates.requireNumber("lat")
        let long = try coordinates.requireNumber("long")
        guard (-90...90).contains(lat) else { throw ParleyError.badRequest("content.coordinates.lat must be from -90 to 90") }
        guard (-180...180).contains(long) else { throw ParleyError.badRequest("content.coordinates.long must be from -180 to 180") }
        let fallback = "Location shared:\nhttps://maps.google.com/maps?q=\(format(lat)),\(format(long))"
        // The objects' known fields only, like every other object of a message.
        var changes: [String: JSONValue?] = ["text": .string(fallback), "coordinates": coordinates.output()]
        if var location = try reader.object("location") {
            _ = try location.string("address")
            _ = try location.string("name")
            changes["location"] = location.output()
        }
        return reader.output(changes)
    }

    /// A user's answers to a form: each field as the form asked (`text`, `email`, or the chosen
    /// `select` options), with `textFallback` ("label: value" lines) filled in.
    private static func formResponse(_ content: JSONValue) throws -> JSONValue {
        var reader = try JSONReader(content, path: "content")
        _ = try reader.string("type", required: true)
        _ = try reader.string("quotedMessageId", length: 1...64)
        let fields = try reader.requireArray("fields", count: 1...20)
        var lines: [String] = []
        let normalised = try fields.enumerated().map { index, value -> JSONValue in
            let path = "content.fields[\(index)]"
            var field = try JSONReader(value, path: path)
            let type = try field.requireOneOf("type", ["email", "select", "text"])
            _ = try field.requireString("name", length: 1...128)
            let label = try field.string("label", required: true, length: 1...128) ?? ""
            _ = try field.string("quotedMessageId", length: 1...64)
            var answer = ""
            switch type {
            case "text": answer = try field.requireString("text", length: 1...256)
            case "email":
                answer = try field.requireString("email", length: 1...128)
                guard answer.contains("@") else { throw ParleyError.badRequest("\(path).email must be an email address") }
            default:
                let chosen = try field.requireArray("select", count: 1...200)
                answer = try chosen.enumerated().map { optionIndex, option -> String in
                    var reader = try JSONReader(option, path: "\(path).select[\(optionIndex)]")
                    _ = try reader.string("name", required: true, length: 1...128)
                    return try reader.string("label", required: true, length: 1...128) ?? ""
                }.joined(separator: ", ")
            }
            lines.append("\(label): \(answer)")
            return field.output([:])
        }
        return reader.output(["fields": .array(normalised), "textFallback": .string(lines.joined(separator: "\n"))])
    }

    private static func form(_ reader: inout JSONReader) throws -> JSONValue {
        _ = try reader.string("text", length: 0...4096)
        let fields = try reader.requireArray("fields", count: 1...20)
        var names = Set<String>()
        let normalised = try fields.enumerated().map { index, value -> JSONValue in
            let path = "content.fields[\(index)]"
            var field = try JSONReader(value, path: path)
            let type = try field.requireOneOf("type", ["email", "select", "text"])
            let name = try field.requireString("name", length: 1...128)
            guard names.insert(name).inserted else { throw ParleyError.badRequest("\(path).name must be unique within the form") }
            _ = try field.string("label", required: true, length: 1...128)
            _ = try field.string("placeholder", length: 1...128)
            _ = try field.oneOf("format", ["integer", "decimal"])
            // The shared `field` schema also describes answers (text, email, select); validated
            // when a form carries them.
            _ = try field.string("text", length: 1...256)
            _ = try field.string("email", length: 1...128)
            if let answers = try field.array("select") {
                for (answerIndex, answer) in answers.enumerated() {
                    guard case .object = answer else { throw ParleyError.badRequest("\(path).select[\(answerIndex)] must be an object") }
                }
            }
            let minSize = try field.integer("minSize", range: 1...256) ?? 1
            let maxSize = try field.integer("maxSize", range: 1...256) ?? 128
            guard minSize <= maxSize else { throw ParleyError.badRequest("\(path).minSize must not exceed maxSize") }
            var changes: [String: JSONValue?] = ["minSize": .integer(minSize), "maxSize": .integer(maxSize)]
            if type == "select" {
                let options = try field.requireArray("options", count: 1...200)
                for (optionIndex, option) in options.enumerated() {
                    var reader = try JSONReader(option, path: "\(path).options[\(optionIndex)]")
                    _ = try reader.string("label", required: true, length: 1...128)
                    _ = try reader.string("name", required: true, length: 1...128)
                }
            } else {
                changes.updateValue(nil, forKey: "options")
            }
            return field.output(changes)
        }
        return reader.output(["fields": .array(normalised), "submitted": .bool(false)])
    }

    private static func template(_ reader: inout JSONReader, schema: String?) throws -> JSONValue {
        guard schema == "whatsapp" else { throw ParleyError.badRequest("content.type template requires schema: \"whatsapp\"") }
        _ = try reader.object("template", required: true)
        return reader.output()
    }

    /// `htmlText` as given, or rendered from `markdownText` (never both); nil when neither.
    private static func richText(_ reader: inout JSONReader) throws -> Patch<String> {
        let html = try reader.string("htmlText", length: 0...4096)
        let markdown = try reader.string("markdownText", length: 0...4096)
        switch (html, markdown) {
        case (_?, _?): throw ParleyError.badRequest("content.markdownText and content.htmlText cannot both be given")
        case (let html?, nil): return .value(html)
        case (nil, let markdown?):
            let rendered = Markdown.html(markdown)
            guard rendered.count <= 4096 else {
                throw ParleyError.badRequest("content.markdownText renders to more than 4096 characters of htmlText")
            }
            return .value(rendered)
        case (nil, nil): return .absent
        }
    }

    private static func changes(html: Patch<String>, actions: [JSONValue]?) -> [String: JSONValue?] {
        var changes: [String: JSONValue?] = ["markdownText": nil]
        if case .value(let html) = html { changes["htmlText"] = .string(html) }
        if let actions { changes["actions"] = .array(actions) }
        return changes
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

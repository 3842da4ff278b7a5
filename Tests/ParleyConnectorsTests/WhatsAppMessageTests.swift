import ParleyDomain
import Testing

@testable import ParleyConnectors

/// What the Cloud API is sent for a message, within WhatsApp's documented limits.
@Suite("WhatsApp messages")
struct WhatsAppMessageTests {
    static let ids = ResourceIDGenerator()

    /// A job delivering `content` (a link confirmation when `isMessage` is false: no stored message).
    static func body(_ content: [String: JSONValue], override: JSONValue? = nil, isMessage: Bool = true) -> [String: JSONValue] {
        let message = Message(
            id: ids.next(), conversationId: ids.next(), received: .now(), author: MessageAuthor(type: .business), content: .object(content),
            source: .api, override: override)
        var payload = ChannelPayload.of(message.content)
        payload["to"] = "+16505551234"
        let job = ChannelJob(
            id: ids.next(), appId: ids.next(), integrationId: ids.next(), clientId: ids.next(), activatesClient: !isMessage, payload: payload,
            messageId: isMessage ? message.id : nil, conversationId: isMessage ? message.conversationId : nil)
        return WhatsAppMessage.body(job, message: isMessage ? message : nil, fallbackLanguage: "fr_CA")
    }

    static func replies(_ titles: [String]) -> [String: JSONValue] {
        ["type": .string("text"), "text": .string("Pick one"), "actions": .array(titles.map { title in
            .object(["type": .string("reply"), "text": .string(title), "payload": .string("P-" + title)])
        })]
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let object)? = value { return object }
        return [:]
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let array)? = value { return array }
        return []
    }

    @Test("Reply titles are cut to 20 characters on buttons and 24 in lists; a list holds at most 10 rows")
    func limits() {
        let buttons = Self.body(Self.replies(["An answer much longer than twenty", "Short"]))
        let replies = Self.array(Self.object(Self.object(buttons["interactive"])["action"])["buttons"]).map { Self.object(Self.object($0)["reply"]) }
        #expect(replies.map { $0["title"] } == [.string("An answer much longe"), .string("Short")])
        #expect(replies.map { $0["id"] } == [.string("P-An answer much longer than twenty"), .string("P-Short")])

        let many = Self.body(Self.replies((1...12).map { "Option number \($0) of a long list" }))
        let interactive = Self.object(many["interactive"])
        #expect(interactive["type"] == .string("list"))
        let rows = Self.array(Self.object(Self.array(Self.object(interactive["action"])["sections"]).first)["rows"]).map(Self.object)
        #expect(rows.count == 10)
        #expect(rows.allSatisfy { if case .string(let title)? = $0["title"] { title.count <= 24 } else { false } })
    }

    @Test("An image with reply buttons is an interactive message with the image as header; a confirmation shows no postback buttons")
    func imageHeaderAndConfirmations() {
        var image = Self.replies(["Yes", "No"])
        image["type"] = .string("image")
        image["mediaUrl"] = .string("https://cdn.example.com/box.jpg")
        let body = Self.body(image)
        #expect(body["type"] == .string("interactive"))
        #expect(Self.object(Self.object(Self.object(body["interactive"])["header"])["image"])["link"] == .string("https://cdn.example.com/box.jpg"))

        let postback: [String: JSONValue] = [
            "type": .string("text"), "text": .string("Hello!"),
            "actions": .array([.object(["type": .string("postback"), "text": .string("Stop"), "payload": .string("STOP")])]),
        ]
        #expect(Self.body(postback)["type"] == .string("interactive"))
        // A link's confirmation has no stored message to read a choice back from: text only.
        #expect(Self.body(postback, isMessage: false)["type"] == .string("text"))
    }

    @Test("A template without language gets the integration's hsmFallbackLanguage; override.whatsapp.payload replaces what it names")
    func templateAndOverride() {
        let template = Self.body(["type": .string("template"), "template": .object(["name": .string("hello_world")])])
        #expect(Self.object(Self.object(template["template"])["language"])["code"] == .string("fr_CA"))
        let named = Self.body([
            "type": .string("template"),
            "template": .object(["name": .string("hello_world"), "language": .object(["code": .string("de")])]),
        ])
        #expect(Self.object(Self.object(named["template"])["language"])["code"] == .string("de"))

        let overridden = Self.body(
            ["type": .string("text"), "text": .string("Fallback")],
            override: .object(["whatsapp": .object(["payload": .object(["text": .object(["body": .string("Native")])])])]))
        #expect(Self.object(overridden["text"])["body"] == .string("Native"))
        #expect(overridden["to"] == .string("+16505551234") && overridden["messaging_product"] == .string("whatsapp"))
    }
}

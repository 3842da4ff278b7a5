/// `template` content: a WhatsApp template, passed to WhatsApp as given.
public struct TemplateContent: Codable, Sendable, Hashable {
    public var template: JSONObject
    public var blockChatInput: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(template: JSONObject, blockChatInput: Bool? = nil) {
        self.template = template
        self.blockChatInput = blockChatInput
    }
}

import Foundation

/// A message of a conversation.
public struct Message: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// When the server received it.
    public var received: Date?
    public var author: Author?
    public var content: MessageContent?
    /// Where it came from (`api:conversations`, `mailgun`, `sdk`…).
    public var source: MessageSource?
    /// For system-generated informational messages (`ticket:closed`…).
    public var activity: MessageActivity?
    /// The message this one replies to (WhatsApp, the web messenger's form responses).
    public var quotedMessage: QuotedMessage?
    public var metadata: JSONObject?
    /// True for the placeholder of a deleted message.
    public var deleted: Bool?
    /// Links shown with the message.
    public var references: [MessageReference]?
}

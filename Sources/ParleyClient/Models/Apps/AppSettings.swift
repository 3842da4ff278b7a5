/// An app's settings. In requests, only the fields set are sent; UpdateApp merges them into the
/// app's settings one by one.
public struct AppSettings: Codable, Sendable, Hashable {
    /// Seconds a conversation is kept after its last message (0: forever).
    public var conversationRetentionSeconds: Int?
    /// Whether credit card numbers in messages are masked.
    public var maskCreditCardNumbers: Bool?
    /// Whether anonymous users get animal names.
    public var useAnimalNames: Bool?
    /// Whether a postback also posts its button's text as a message.
    public var echoPostback: Bool?
    /// Whether the SDKs skip the automatic conversation start.
    public var ignoreAutoConversationStart: Bool?
    /// Whether users may have several conversations. Enabling it cannot be undone.
    public var multiConvoEnabled: Bool?
    /// Whether app texts are localised.
    public var appLocalizationEnabled: Bool?
    /// Whether users may end a conversation (needs `multiConvoEnabled`).
    public var endSessionEnabled: Bool?
    /// Whether an ended conversation stays closed (needs `multiConvoEnabled`).
    public var disableConversationReopen: Bool?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        conversationRetentionSeconds: Int? = nil, maskCreditCardNumbers: Bool? = nil, useAnimalNames: Bool? = nil, echoPostback: Bool? = nil,
        ignoreAutoConversationStart: Bool? = nil, multiConvoEnabled: Bool? = nil, appLocalizationEnabled: Bool? = nil,
        endSessionEnabled: Bool? = nil, disableConversationReopen: Bool? = nil
    ) {
        self.conversationRetentionSeconds = conversationRetentionSeconds
        self.maskCreditCardNumbers = maskCreditCardNumbers
        self.useAnimalNames = useAnimalNames
        self.echoPostback = echoPostback
        self.ignoreAutoConversationStart = ignoreAutoConversationStart
        self.multiConvoEnabled = multiConvoEnabled
        self.appLocalizationEnabled = appLocalizationEnabled
        self.endSessionEnabled = endSessionEnabled
        self.disableConversationReopen = disableConversationReopen
    }
}

/// UpdateIntegration's body: only the fields set are sent, `.null` clears a nullable one. Each
/// type takes only its own updatable fields (Parley refuses others with 400; delete and re-create
/// the integration to change what cannot be updated).
public struct IntegrationUpdate: Codable, Sendable, Hashable {
    public var displayName: Nullable<String>?
    public var defaultResponderId: Nullable<String>?
    public var showAIDisclaimer: Bool?
    // android, ios, unity, web
    public var canUserSeeConversationList: Bool?
    public var canUserCreateMoreConversations: Bool?
    // android
    public var projectId: Nullable<String>?
    public var clientEmail: Nullable<String>?
    public var privateKey: Nullable<String>?
    public var serverKey: Nullable<String>?
    public var senderId: Nullable<String>?
    // ios
    public var certificate: Nullable<String>?
    public var password: String?
    public var production: Bool?
    public var autoUpdateBadge: Bool?
    // apple
    public var authenticationMessageSecret: String?
    // instagram, messenger
    public var pageAccessToken: String?
    // instagram
    public var storyRepliesEnabled: Bool?
    public var storyMentionsEnabled: Bool?
    // mailgun
    public var hideUnsubscribeLink: Bool?
    public var fromAddress: Nullable<String>?
    // whatsapp
    public var hsmFallbackLanguage: Nullable<String>?
    public var accountId: Nullable<String>?
    public var accountManagementAccessToken: Nullable<String>?
    // web
    public var brandColor: String?
    public var fixedIntroPane: Bool?
    public var conversationColor: String?
    public var actionColor: String?
    public var displayStyle: String?
    public var buttonIconUrl: Nullable<String>?
    public var buttonWidth: String?
    public var buttonHeight: String?
    public var integrationOrder: [String]?
    public var businessName: String?
    public var businessIconUrl: String?
    public var backgroundImageUrl: String?
    public var originWhitelist: [String]?
    public var prechatCapture: PrechatCapture?

    /// Makes one from its fields; those left nil are not sent.
    public init(displayName: Nullable<String>? = nil) {
        self.displayName = displayName
    }
}

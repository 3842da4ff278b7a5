/// An integration: a channel (Mailgun, Twilio, WhatsApp…), an SDK (web, iOS, Android, Unity), or a
/// `custom` integration (your webhooks and keys).
///
/// One struct for the sixteen types: the common fields first, then each type's, all optional, so
/// a type or field this library does not know never fails decoding. Credentials (`apiKey`,
/// `authToken`…) are write-only and never come back.
public struct Integration: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var type: IntegrationType
    public var status: IntegrationStatus?
    public var displayName: String?
    /// The switchboard integration that gets new conversations from this channel (all but custom).
    public var defaultResponder: DefaultResponder?
    /// Whether AI-written messages carry a disclaimer (all but custom).
    public var showAIDisclaimer: Bool?

    // custom
    /// `custom`: its webhooks (exactly one at creation).
    public var webhooks: [Webhook]?

    // android, ios, unity, web
    public var canUserSeeConversationList: Bool?
    public var canUserCreateMoreConversations: Bool?
    public var attachmentsEnabled: Bool?
    // android
    public var projectId: String?
    public var clientEmail: String?
    public var senderId: String?
    // ios
    public var production: Bool?
    public var autoUpdateBadge: Bool?
    // apple, instagram
    public var businessId: String?
    // apple
    public var mspId: String?
    // instagram, messenger
    public var appId: String?
    /// A number for Messenger, a string for Instagram: kept as sent.
    public var pageId: JSONValue?
    // instagram
    public var businessName: String?
    public var businessUsername: String?
    public var username: String?
    public var userId: String?
    public var storyRepliesEnabled: Bool?
    public var storyMentionsEnabled: Bool?
    // messenger
    public var pageName: String?
    // line
    public var channelId: String?
    public var serviceCode: String?
    public var qrCodeUrl: String?
    public var lineId: String?
    // mailgun
    public var domain: String?
    public var incomingAddress: String?
    public var hideUnsubscribeLink: Bool?
    public var fromAddress: String?
    // messagebird
    public var originator: String?
    /// `messagebird`: the secret in the callback URL MessageBird is given.
    public var webhookSecret: String?
    // telegram
    public var botId: String?
    // twilio
    public var accountSid: String?
    public var phoneNumberSid: String?
    public var messagingServiceSid: String?
    // twitter
    public var tier: String?
    public var envName: String?
    // viber
    public var uri: String?
    // viber, whatsapp
    public var accountId: String?
    // whatsapp
    public var hsmFallbackLanguage: String?
    public var phoneNumber: String?
    // web
    public var brandColor: String?
    public var fixedIntroPane: Bool?
    public var conversationColor: String?
    public var actionColor: String?
    public var displayStyle: String?
    public var buttonIconUrl: String?
    public var buttonWidth: String?
    public var buttonHeight: String?
    public var integrationOrder: [String]?
    public var businessIconUrl: String?
    public var backgroundImageUrl: String?
    public var originWhitelist: [String]?
    public var prechatCapture: PrechatCapture?
}

/// CreateIntegration's body: a type and that type's fields; only the fields set are sent.
///
/// The static functions build the common types with the fields each requires; for the others,
/// make one with ``init(type:displayName:)`` and set the fields the type takes.
public struct IntegrationCreate: Codable, Sendable, Hashable {
    public var type: IntegrationType
    public var displayName: String?
    public var defaultResponderId: String?
    public var showAIDisclaimer: Bool?

    // custom
    /// `custom`: exactly one webhook.
    public var webhooks: [WebhookCreate]?
    // android, ios, unity, web
    public var canUserSeeConversationList: Bool?
    public var canUserCreateMoreConversations: Bool?
    // android
    public var projectId: String?
    public var clientEmail: String?
    public var privateKey: String?
    public var serverKey: String?
    public var senderId: String?
    // ios
    public var certificate: String?
    public var password: String?
    public var production: Bool?
    public var autoUpdateBadge: Bool?
    // apple
    public var businessId: String?
    public var apiSecret: String?
    public var mspId: String?
    public var authenticationMessageSecret: String?
    // instagram, messenger
    public var pageAccessToken: String?
    public var appId: String?
    public var appSecret: String?
    // instagram
    public var storyRepliesEnabled: Bool?
    public var storyMentionsEnabled: Bool?
    // line
    public var channelId: String?
    public var channelSecret: String?
    public var channelAccessToken: String?
    public var serviceCode: String?
    public var switcherSecret: String?
    public var qrCodeUrl: String?
    // mailgun
    public var apiKey: String?
    /// `mailgun`: the key checking Mailgun's signatures (else `apiKey`); `messagebird`: its signing key.
    public var signingKey: String?
    public var domain: String?
    public var incomingAddress: String?
    public var hideUnsubscribeLink: Bool?
    public var fromAddress: String?
    // messagebird
    public var accessKey: String?
    public var originator: String?
    // telegram, viber
    public var token: String?
    // twilio
    public var accountSid: String?
    public var authToken: String?
    public var phoneNumberSid: String?
    public var messagingServiceSid: String?
    // twitter
    public var tier: String?
    public var consumerKey: String?
    public var consumerSecret: String?
    public var accessTokenKey: String?
    public var accessTokenSecret: String?
    // whatsapp
    public var hsmFallbackLanguage: String?
    public var accountId: String?
    public var accountManagementAccessToken: String?
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
    public var businessName: String?
    public var businessIconUrl: String?
    public var backgroundImageUrl: String?
    public var originWhitelist: [String]?
    public var prechatCapture: PrechatCapture?

    /// Makes one from its fields; those left nil are not sent.
    public init(type: IntegrationType, displayName: String? = nil) {
        self.type = type
        self.displayName = displayName
    }

    /// A custom integration with its one webhook.
    public static func custom(webhook: WebhookCreate, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .custom, displayName: displayName)
        body.webhooks = [webhook]
        return body
    }

    /// Email through Mailgun: the API key, the sending domain and the address replies come to.
    public static func mailgun(
        apiKey: String, domain: String, incomingAddress: String, fromAddress: String? = nil, signingKey: String? = nil, displayName: String? = nil
    ) -> IntegrationCreate {
        var body = IntegrationCreate(type: .mailgun, displayName: displayName)
        body.apiKey = apiKey
        body.domain = domain
        body.incomingAddress = incomingAddress
        body.fromAddress = fromAddress
        body.signingKey = signingKey
        return body
    }

    /// SMS through Twilio: the account, its auth token, and a phone number or messaging service.
    public static func twilio(
        accountSid: String, authToken: String, phoneNumberSid: String? = nil, messagingServiceSid: String? = nil, displayName: String? = nil
    ) -> IntegrationCreate {
        var body = IntegrationCreate(type: .twilio, displayName: displayName)
        body.accountSid = accountSid
        body.authToken = authToken
        body.phoneNumberSid = phoneNumberSid
        body.messagingServiceSid = messagingServiceSid
        return body
    }

    /// SMS through MessageBird.
    public static func messagebird(accessKey: String, signingKey: String, originator: String, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .messagebird, displayName: displayName)
        body.accessKey = accessKey
        body.signingKey = signingKey
        body.originator = originator
        return body
    }

    /// A Telegram bot.
    public static func telegram(token: String, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .telegram, displayName: displayName)
        body.token = token
        return body
    }

    /// A Viber bot.
    public static func viber(token: String, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .viber, displayName: displayName)
        body.token = token
        return body
    }

    /// A Facebook page.
    public static func messenger(pageAccessToken: String, appId: String, appSecret: String, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .messenger, displayName: displayName)
        body.pageAccessToken = pageAccessToken
        body.appId = appId
        body.appSecret = appSecret
        return body
    }

    /// An Instagram business account.
    public static func instagram(pageAccessToken: String, appId: String, appSecret: String, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .instagram, displayName: displayName)
        body.pageAccessToken = pageAccessToken
        body.appId = appId
        body.appSecret = appSecret
        return body
    }

    /// A WhatsApp number.
    public static func whatsapp(accountId: String? = nil, accountManagementAccessToken: String? = nil, displayName: String? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .whatsapp, displayName: displayName)
        body.accountId = accountId
        body.accountManagementAccessToken = accountManagementAccessToken
        return body
    }

    /// The web messenger (every field has a default).
    public static func web(displayName: String? = nil, businessName: String? = nil, originWhitelist: [String]? = nil) -> IntegrationCreate {
        var body = IntegrationCreate(type: .web, displayName: displayName)
        body.businessName = businessName
        body.originWhitelist = originWhitelist
        return body
    }
}

/// The channel a client is on: `mailgun`, `twilio`, `sdk` (the web messenger and the mobile SDKs)…
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ClientType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `apple`: Apple Messages for Business.
    public static let apple: ClientType = "apple"
    /// `gbm`: Google's Business Messages.
    public static let gbm: ClientType = "gbm"
    /// `googlercs`: Google RCS.
    public static let googlercs: ClientType = "googlercs"
    /// `instagram`: Instagram Direct.
    public static let instagram: ClientType = "instagram"
    /// `kakao`: KakaoTalk.
    public static let kakao: ClientType = "kakao"
    /// `line`: LINE.
    public static let line: ClientType = "line"
    /// `mailgun`: Email through Mailgun.
    public static let mailgun: ClientType = "mailgun"
    /// `messagebird`: SMS through MessageBird.
    public static let messagebird: ClientType = "messagebird"
    /// `messenger`: Facebook Messenger.
    public static let messenger: ClientType = "messenger"
    /// `slackconnect`: Slack Connect.
    public static let slackconnect: ClientType = "slackconnect"
    /// `sdk`: The web messenger and the iOS, Android and Unity SDKs.
    public static let sdk: ClientType = "sdk"
    /// `telegram`: Telegram.
    public static let telegram: ClientType = "telegram"
    /// `twilio`: SMS through Twilio.
    public static let twilio: ClientType = "twilio"
    /// `twitter`: X (Twitter) direct messages.
    public static let twitter: ClientType = "twitter"
    /// `viber`: Viber.
    public static let viber: ClientType = "viber"
    /// `wechat`: WeChat.
    public static let wechat: ClientType = "wechat"
    /// `whatsapp`: WhatsApp.
    public static let whatsapp: ClientType = "whatsapp"
}

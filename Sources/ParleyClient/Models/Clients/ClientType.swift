/// The channel a client is on: `mailgun`, `twilio`, `sdk` (the web messenger and the mobile SDKs)…
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct ClientType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    /// Makes one from its fields; those left nil are not sent.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Makes one from its fields; those left nil are not sent.
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

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

/// The kind of an integration: a channel, an SDK, or `custom` (webhooks and keys for your own code).
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct IntegrationType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `android`: The Android SDK.
    public static let android: IntegrationType = "android"
    /// `apple`: Apple Messages for Business.
    public static let apple: IntegrationType = "apple"
    /// `custom`: Your own webhooks and keys.
    public static let custom: IntegrationType = "custom"
    /// `instagram`: Instagram Direct.
    public static let instagram: IntegrationType = "instagram"
    /// `ios`: The iOS SDK.
    public static let ios: IntegrationType = "ios"
    /// `line`: LINE.
    public static let line: IntegrationType = "line"
    /// `mailgun`: Email through Mailgun.
    public static let mailgun: IntegrationType = "mailgun"
    /// `messagebird`: SMS through MessageBird.
    public static let messagebird: IntegrationType = "messagebird"
    /// `messenger`: Facebook Messenger.
    public static let messenger: IntegrationType = "messenger"
    /// `telegram`: Telegram.
    public static let telegram: IntegrationType = "telegram"
    /// `twilio`: SMS through Twilio.
    public static let twilio: IntegrationType = "twilio"
    /// `twitter`: X (Twitter) direct messages.
    public static let twitter: IntegrationType = "twitter"
    /// `unity`: The Unity SDK.
    public static let unity: IntegrationType = "unity"
    /// `viber`: Viber.
    public static let viber: IntegrationType = "viber"
    /// `web`: The web messenger.
    public static let web: IntegrationType = "web"
    /// `whatsapp`: WhatsApp.
    public static let whatsapp: IntegrationType = "whatsapp"
}

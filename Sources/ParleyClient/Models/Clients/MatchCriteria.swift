/// The channel identity CreateClient links: a type, the integration that carries it, and the
/// address or phone number. The static functions build each documented kind.
public struct MatchCriteria: Codable, Sendable, Hashable {
    /// `mailgun`, `twilio`, `messagebird` or `whatsapp`.
    public var type: ClientType
    /// An integration of the same type.
    public var integrationId: String
    /// Whether the new client becomes the user's primary one in the target conversation (default true).
    public var primary: Bool?
    /// Mailgun: the email address.
    public var address: String?
    /// Mailgun: the confirmation email's subject; `{appName}` is replaced by the app's name.
    public var subject: String?
    /// Twilio, MessageBird, WhatsApp: `+` and the country code, e.g. `+1 212 555 2368`.
    public var phoneNumber: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        type: ClientType, integrationId: String, primary: Bool? = nil, address: String? = nil, subject: String? = nil, phoneNumber: String? = nil
    ) {
        self.type = type
        self.integrationId = integrationId
        self.primary = primary
        self.address = address
        self.subject = subject
        self.phoneNumber = phoneNumber
    }

    /// An email address through a Mailgun integration.
    public static func mailgun(integrationId: String, address: String, subject: String? = nil, primary: Bool? = nil) -> MatchCriteria {
        MatchCriteria(type: .mailgun, integrationId: integrationId, primary: primary, address: address, subject: subject)
    }

    /// A phone number through a Twilio integration.
    public static func twilio(integrationId: String, phoneNumber: String, primary: Bool? = nil) -> MatchCriteria {
        MatchCriteria(type: .twilio, integrationId: integrationId, primary: primary, phoneNumber: phoneNumber)
    }

    /// A phone number through a MessageBird integration.
    public static func messagebird(integrationId: String, phoneNumber: String, primary: Bool? = nil) -> MatchCriteria {
        MatchCriteria(type: .messagebird, integrationId: integrationId, primary: primary, phoneNumber: phoneNumber)
    }

    /// A phone number through a WhatsApp integration.
    public static func whatsapp(integrationId: String, phoneNumber: String, primary: Bool? = nil) -> MatchCriteria {
        MatchCriteria(type: .whatsapp, integrationId: integrationId, primary: primary, phoneNumber: phoneNumber)
    }
}

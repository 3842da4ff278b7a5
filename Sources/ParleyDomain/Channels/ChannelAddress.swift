/// Where a channel reaches a user, as CreateClient's `matchCriteria` named it.
public struct ChannelAddress: Hashable, Sendable {
    /// The client's `externalId`, normalised the way the channel's inbound traffic spells it
    /// (email addresses lowercased, phone numbers in E.164), so replies match it exactly.
    public var externalId: String
    /// For channels with a subject line: the subject of the messages sent, `{appName}` not yet filled in.
    public var subject: String?

    public init(externalId: String, subject: String? = nil) {
        self.externalId = externalId
        self.subject = subject
    }

    /// `matchCriteria.phoneNumber` in E.164, as SMS and WhatsApp providers spell the sender of a
    /// user's messages: the address of every channel that links phone numbers.
    public static func phoneNumber(from criteria: inout JSONReader) throws -> ChannelAddress {
        let number = try criteria.requireString("phoneNumber")
        return ChannelAddress(externalId: try PhoneNumber.normalized(number, field: criteria.name("phoneNumber")))
    }
}

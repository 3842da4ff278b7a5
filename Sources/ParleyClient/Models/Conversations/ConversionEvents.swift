/// PostConversionEvents' body: Meta conversion events for one channel (set exactly one).
public struct ConversionEvents: Codable, Sendable, Hashable {
    public var messenger: ConversionEventPayload?
    public var instagram: ConversionEventPayload?
    public var whatsapp: ConversionEventPayload?

    /// Makes one from its fields; those left nil are not sent.
    public init(messenger: ConversionEventPayload? = nil, instagram: ConversionEventPayload? = nil, whatsapp: ConversionEventPayload? = nil) {
        self.messenger = messenger
        self.instagram = instagram
        self.whatsapp = whatsapp
    }
}

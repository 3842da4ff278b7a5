/// PostConversionEvents' answer, `conversionEvents`.
public struct ConversionEventsResult: Codable, Sendable, Hashable {
    /// Meta's dataset id (a string in the spec's schema, a number in its example: kept as sent).
    public var datasetId: JSONValue?
    public var eventsReceived: Int?
}

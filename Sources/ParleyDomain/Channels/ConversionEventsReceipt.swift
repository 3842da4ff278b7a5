/// What the provider acknowledged of forwarded conversion events (`conversionEvents` in the answer).
public struct ConversionEventsReceipt: Hashable, Sendable {
    /// The provider's dataset the events went to.
    public var datasetId: String
    public var eventsReceived: Int

    public init(datasetId: String, eventsReceived: Int) {
        self.datasetId = datasetId
        self.eventsReceived = eventsReceived
    }
}

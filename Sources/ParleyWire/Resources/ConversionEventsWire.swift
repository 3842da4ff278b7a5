import ParleyDomain

/// PostConversionEvents' answer (`conversionEventsResponse`).
public struct ConversionEventsEnvelope: Encodable {
    public struct Events: Encodable {
        public var datasetId: String
        public var eventsReceived: Int
    }

    public var conversionEvents: Events

    public init(_ receipt: ConversionEventsReceipt) {
        conversionEvents = Events(datasetId: receipt.datasetId, eventsReceived: receipt.eventsReceived)
    }
}

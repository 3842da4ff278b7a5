import ParleyDomain

/// A webhook delivery as Parley's deliveries extension shows it.
public struct DeliveryWire: Encodable {
    public var eventId: String
    public var type: String
    public var createdAt: String
    public var state: String
    public var attempts: Int
    public var lastAttemptAt: String?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var nextAttemptAt: String?

    public init(_ record: DeliveryRecord) {
        self.eventId = record.eventId.rawValue
        self.type = record.type.rawValue
        self.createdAt = record.createdAt.iso8601
        self.state = record.state.rawValue
        self.attempts = record.attempts
        self.lastAttemptAt = record.lastAttemptAt?.iso8601
        self.lastStatusCode = record.lastStatusCode
        self.lastError = record.lastError
        self.nextAttemptAt = record.nextAttemptAt?.iso8601
    }
}

public struct DeliveryListEnvelope: Encodable {
    public var deliveries: [DeliveryWire]

    public init(deliveries: [DeliveryWire]) {
        self.deliveries = deliveries
    }
}

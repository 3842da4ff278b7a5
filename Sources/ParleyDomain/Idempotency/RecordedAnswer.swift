/// The first answer given for an idempotency key, replayed byte for byte to its retries.
public struct RecordedAnswer: Hashable, Sendable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// One channel's conversion events: `{"payload": {"data": [events]}}`, passed to Meta as given.
public struct ConversionEventPayload: Codable, Sendable, Hashable {
    public var payload: JSONObject

    /// Makes one from its fields; those left nil are not sent.
    public init(payload: JSONObject) {
        self.payload = payload
    }

    /// `{"payload": {"data": events}}`.
    public static func events(_ events: [JSONValue]) -> ConversionEventPayload {
        ConversionEventPayload(payload: ["data": .array(events)])
    }
}

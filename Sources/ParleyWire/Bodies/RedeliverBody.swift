/// Parley's redeliver extension's body: one event, or every event since a time.
public struct RedeliverBody: Decodable {
    public var eventId: String?
    public var since: String?
}

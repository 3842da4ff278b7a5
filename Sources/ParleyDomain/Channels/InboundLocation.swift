/// A place a user shared on a channel (WhatsApp's location message): stored as a `location`
/// message, with the fallback text the API writes for one.
public struct InboundLocation: Hashable, Sendable {
    public var latitude: Double
    public var longitude: Double
    public var name: String?
    public var address: String?

    public init(latitude: Double, longitude: Double, name: String? = nil, address: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.name = name
        self.address = address
    }

    /// The message content, as a business's `location` message would be stored; nil for
    /// coordinates out of range (a channel's nonsense is not stored).
    var content: JSONValue? {
        var content: [String: JSONValue] = [
            "type": .string("location"), "coordinates": .object(["lat": .double(latitude), "long": .double(longitude)]),
        ]
        var place: [String: JSONValue] = [:]
        if let name { place["name"] = .string(name) }
        if let address { place["address"] = .string(address) }
        if !place.isEmpty { content["location"] = .object(place) }
        return try? ContentRules.validate(.object(content), schema: nil)
    }
}

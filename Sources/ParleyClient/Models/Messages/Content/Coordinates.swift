/// Latitude (±90) and longitude (±180).
public struct Coordinates: Codable, Sendable, Hashable {
    public var lat: Double
    public var long: Double

    /// Makes one from its fields; those left nil are not sent.
    public init(lat: Double, long: Double) {
        self.lat = lat
        self.long = long
    }
}

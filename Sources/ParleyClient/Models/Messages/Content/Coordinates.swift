/// Latitude (±90) and longitude (±180).
public struct Coordinates: Codable, Sendable, Hashable {
    public var lat: Double
    public var long: Double

    public init(lat: Double, long: Double) {
        self.lat = lat
        self.long = long
    }
}

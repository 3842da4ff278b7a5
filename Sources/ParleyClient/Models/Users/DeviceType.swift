/// The platform of a device.
///
/// A string-backed struct rather than a closed enum: a value this library does not list (a
/// channel added later) decodes as itself instead of failing the whole answer.
public struct DeviceType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    /// Makes one from its fields; those left nil are not sent.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Makes one from its fields; those left nil are not sent.
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// Makes one from its fields; those left nil are not sent.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// `android`: An Android SDK.
    public static let android: DeviceType = "android"
    /// `ios`: An iOS SDK.
    public static let ios: DeviceType = "ios"
    /// `web`: A browser running the web messenger.
    public static let web: DeviceType = "web"
}

/// The platform of a device.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct DeviceType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `android`: An Android SDK.
    public static let android: DeviceType = "android"
    /// `ios`: An iOS SDK.
    public static let ios: DeviceType = "ios"
    /// `web`: A browser running the web messenger.
    public static let web: DeviceType = "web"
}

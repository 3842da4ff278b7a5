/// Whether a device receives push notifications.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct DeviceStatus: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `active`: Notifications on.
    public static let active: DeviceStatus = "active"
    /// `inactive`: Notifications off.
    public static let inactive: DeviceStatus = "inactive"
}

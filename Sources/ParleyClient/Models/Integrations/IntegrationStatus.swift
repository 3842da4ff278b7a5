/// Whether an integration works.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct IntegrationStatus: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `active`: Working.
    public static let active: IntegrationStatus = "active"
    /// `inactive`: Not in use.
    public static let inactive: IntegrationStatus = "inactive"
    /// `error`: Failing (bad credentials, say).
    public static let error: IntegrationStatus = "error"
}

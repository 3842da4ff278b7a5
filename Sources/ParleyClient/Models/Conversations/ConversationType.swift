/// The kind of a conversation.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ConversationType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `personal`: One user and the business.
    public static let personal: ConversationType = "personal"
    /// `sdkGroup`: Up to 10 users and the business.
    public static let sdkGroup: ConversationType = "sdkGroup"
}

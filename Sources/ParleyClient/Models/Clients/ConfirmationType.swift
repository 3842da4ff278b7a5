/// How CreateClient's link is confirmed.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ConfirmationType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `immediate`: Linked as soon as the confirmation message is sent (Parley: accepted by the channel).
    public static let immediate: ConfirmationType = "immediate"
    /// `userActivity`: Linked when the user first writes from the channel.
    public static let userActivity: ConfirmationType = "userActivity"
    /// `prompt`: Linked when the user answers the confirmation message yes.
    public static let prompt: ConfirmationType = "prompt"
}

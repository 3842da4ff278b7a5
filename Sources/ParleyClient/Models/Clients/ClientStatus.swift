/// Whether a client can receive messages.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct ClientStatus: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `active`: Linked and receiving messages.
    public static let active: ClientStatus = "active"
    /// `blocked`: The user blocked the business on the channel.
    public static let blocked: ClientStatus = "blocked"
    /// `inactive`: No longer receiving messages.
    public static let inactive: ClientStatus = "inactive"
    /// `pending`: A channel link not confirmed yet; every new client starts here.
    public static let pending: ClientStatus = "pending"
}

/// The `scope` claim of a JWT signed by ``Credentials/jwt(keyId:secret:scope:)``: it must match the
/// key's own kind (`account` for `act_…`, `app` for `app_…`, `integration` for `int_…`).
///
/// A string-backed struct rather than an enum, so a scope this library does not know yet can
/// still be named.
public struct JWTScope: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An account key (`act_…`): every operation, every app.
    public static let account: JWTScope = "account"
    /// An app key (`app_…`): everything in its app except account provisioning.
    public static let app: JWTScope = "app"
    /// A custom integration key (`int_…`): users, conversations, attachments, its own webhooks.
    public static let integration: JWTScope = "integration"
}

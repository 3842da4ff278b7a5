/// Who owns an API key, and so what it may reach. The raw values are the JWT `scope` claim's.
public enum KeyScope: String, Hashable, Sendable, CaseIterable {
    /// `act_` keys: every app and the account-provisioning routes.
    case account
    /// `app_` keys: one app, everything but account provisioning.
    case app
    /// `int_` keys: one custom integration of one app.
    case integration

    /// The prefix of this scope's key ids.
    public var idPrefix: String {
        switch self {
        case .account: "act_"
        case .app: "app_"
        case .integration: "int_"
        }
    }
}

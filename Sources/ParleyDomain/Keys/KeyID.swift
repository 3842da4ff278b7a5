/// An API key id: a scope prefix (`act_`, `app_`, `int_`) and 24 hex digits.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public let scope: KeyScope

    public init?(_ text: String) {
        guard let scope = KeyScope.allCases.first(where: { text.hasPrefix($0.idPrefix) }),
            ResourceID(text.dropFirst(scope.idPrefix.count)) != nil
        else { return nil }
        self.rawValue = text
        self.scope = scope
    }

    public init?(_ text: some StringProtocol) {
        self.init(String(text))
    }

    public init(scope: KeyScope, id: ResourceID) {
        self.rawValue = scope.idPrefix + id.rawValue
        self.scope = scope
    }

    public var description: String { rawValue }
}

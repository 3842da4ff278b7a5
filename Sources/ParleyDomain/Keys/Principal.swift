/// The authenticated caller of one request: which key, and so which scope and app.
public struct Principal: Hashable, Sendable {
    public var keyId: KeyID
    public var appId: ResourceID?
    public var integrationId: ResourceID?

    public init(keyId: KeyID, appId: ResourceID?, integrationId: ResourceID? = nil) {
        self.keyId = keyId
        self.appId = appId
        self.integrationId = integrationId
    }

    public var scope: KeyScope { keyId.scope }

    /// The access rule, in one place: the operation must accept the caller's scope (else 403), and
    /// app and integration keys reach only their own app (else 403). Account keys reach every app.
    public func authorize(_ allowed: Set<KeyScope>, appId requested: ResourceID?) throws {
        guard allowed.contains(scope) else {
            throw ParleyError.forbidden("This operation is not available to \(scope.rawValue)-scoped credentials")
        }
        if scope != .account, let requested, requested != appId {
            throw ParleyError.forbidden("The credentials do not grant access to app \(requested)")
        }
    }
}

/// A stored API key. The secret is kept only in protected form (see `SecretSealer`).
public struct APIKey: Hashable, Sendable {
    public var id: KeyID
    /// The app an `app` or `integration` key belongs to; nil for account keys.
    public var appId: ResourceID?
    /// The custom integration an `integration` key belongs to.
    public var integrationId: ResourceID?
    public var displayName: String?
    public var secret: SealedSecret
    /// The OAuth client an app key was issued to (an access token, `OAuthService`); nil for keys
    /// made with CreateAppKey.
    public var oauthClientId: ResourceID?

    public init(
        id: KeyID, appId: ResourceID?, integrationId: ResourceID? = nil, displayName: String?, secret: SealedSecret, oauthClientId: ResourceID? = nil
    ) {
        self.id = id
        self.appId = appId
        self.integrationId = integrationId
        self.displayName = displayName
        self.secret = secret
        self.oauthClientId = oauthClientId
    }

    public var scope: KeyScope { id.scope }
}

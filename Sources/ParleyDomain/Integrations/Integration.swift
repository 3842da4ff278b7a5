/// A channel or custom integration of an app.
public struct Integration: Hashable, Sendable {
    public var id: ResourceID
    public var appId: ResourceID
    public var type: String
    public var status: String
    /// The fields shown in responses (validated per type; see `IntegrationCatalog`).
    public var settings: [String: JSONValue]
    /// Write-only credentials as a sealed JSON object (see `IntegrationService.secrets(of:)`); never shown.
    public var secrets: SealedSecret?
    /// The custom integration's webhook(s); empty for channel integrations.
    public var webhooks: [Webhook]

    public init(
        id: ResourceID, appId: ResourceID, type: String, status: String = "active", settings: [String: JSONValue],
        secrets: SealedSecret?, webhooks: [Webhook] = []
    ) {
        self.id = id
        self.appId = appId
        self.type = type
        self.status = status
        self.settings = settings
        self.secrets = secrets
        self.webhooks = webhooks
    }

    public var displayName: String? {
        if case .string(let name)? = settings["displayName"] { return name }
        return nil
    }
}

/// Persistence of integrations (and, for custom integrations, their webhooks).
public protocol IntegrationStore: Sendable {
    /// Inserts the integration with its webhooks in one transaction.
    func insertIntegration(_ integration: Integration) async throws
    func integration(appId: ResourceID, id: ResourceID) async throws -> Integration?
    /// The app an integration belongs to, for pages addressed by the integration alone (the web
    /// messenger's); nil when there is no such integration.
    func integrationAppId(id: ResourceID) async throws -> ResourceID?
    /// Integrations of an app in creation order, optionally only of the given types.
    func integrations(appId: ResourceID, types: [String]?, page: PageRequest) async throws -> Page<Integration>
    func updateIntegration(appId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Integration) throws -> Void) async throws -> Integration?
    /// Deletes the integration and everything that hangs off it; false when there was none.
    func deleteIntegration(appId: ResourceID, id: ResourceID) async throws -> Bool

    /// Adds a webhook unless the app already has `limitPerApp` of them (400), counted in the
    /// insert's transaction.
    func insertWebhook(_ webhook: Webhook, appId: ResourceID, limitPerApp: Int) async throws
    func updateWebhook(integrationId: ResourceID, id: ResourceID, _ change: @escaping @Sendable (inout Webhook) throws -> Void) async throws -> Webhook?
    func deleteWebhook(integrationId: ResourceID, id: ResourceID) async throws -> Bool
    /// Seals, in one transaction, every webhook secret still stored in the clear (written before
    /// secrets were sealed), and forgets the clear copy. Returns how many there were.
    func sealClearWebhookSecrets(_ seal: @escaping @Sendable (String) throws -> SealedSecret) async throws -> Int
}
